using System.Buffers.Binary;
using Dealwire.Engine.Commands;
using Dealwire.Persistence.IO;

namespace Dealwire.Persistence.Journal;

/// <summary>
/// The bytes of one journal write, as a replicated log carries it: a codec id, then the same records a journal
/// segment holds (length, crc32c, sequence, payload), so a replica decodes with the journal's own codec and checks
/// the same checksums. An empty payload (no records) is legal: a new leader's term marker.
/// <code>payload = codec u16 | record*</code>
/// </summary>
public static class BatchPayload
{
    private const int CodecSize = 2;

    /// <summary>Encodes <paramref name="commands"/> (contiguous sequences, in order) with this build's codec.</summary>
    public static byte[] Encode(IEnumerable<EngineCommand> commands)
    {
        var buffer = new RecordBuffer(4 * 1024);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(CodecSize), CommandCodec.Tagged);
        buffer.Advance(CodecSize);
        foreach (var command in commands)
        {
            var start = buffer.Length;
            buffer.Advance(JournalFormat.RecordHeaderSize);
            CommandCodec.Write(CommandCodec.Tagged, command, buffer);
            JournalFormat.CompleteRecord(buffer.Slice(start, buffer.Length - start), command.Sequence);
        }
        return buffer.Written.ToArray();
    }

    /// <summary>The first sequence in a payload, 0 when it holds no record; reads only the first record's header.</summary>
    public static long FirstSequence(ReadOnlySpan<byte> payload) =>
        payload.Length >= CodecSize + JournalFormat.RecordHeaderSize ? BinaryPrimitives.ReadInt64LittleEndian(payload[(CodecSize + 8)..]) : 0;

    /// <summary>Decodes every record; throws <see cref="FormatException"/> on a bad codec, length or checksum.</summary>
    public static List<EngineCommand> Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < CodecSize) throw new FormatException("A replicated batch is shorter than its codec id.");
        var codec = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        if (!CommandCodec.IsKnown(codec)) throw new FormatException($"A replicated batch uses codec {codec}, unknown to this build.");
        var commands = new List<EngineCommand>();
        var offset = CodecSize;
        while (offset < payload.Length)
        {
            var rest = payload[offset..];
            if (rest.Length < JournalFormat.RecordHeaderSize) throw new FormatException($"A replicated batch has a torn record at byte {offset}.");
            var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
            if (length < 0 || length > JournalFormat.MaxPayload || rest.Length < JournalFormat.RecordHeaderSize + length)
            {
                throw new FormatException($"A replicated batch has a record of bad length {length} at byte {offset}.");
            }
            var record = rest[..(JournalFormat.RecordHeaderSize + length)];
            if (BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) != Crc32C.Compute(record[8..]))
            {
                throw new FormatException($"A replicated batch has a checksum mismatch at byte {offset}.");
            }
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(record[8..]);
            var command = CommandCodec.Read(codec, sequence, record[JournalFormat.RecordHeaderSize..]);
            if (command.Sequence != sequence) throw new FormatException($"A replicated record says sequence {sequence} but decodes as {command.Sequence}.");
            commands.Add(command);
            offset += record.Length;
        }
        return commands;
    }
}
