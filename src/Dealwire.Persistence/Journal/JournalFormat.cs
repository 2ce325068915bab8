using System.Buffers.Binary;
using System.Globalization;
using Dealwire.Persistence.IO;

namespace Dealwire.Persistence.Journal;

/// <summary>
/// On-disk layout of journal segments.
/// <code>
/// segment = header record*
/// header  = magic "DWJOURNL" (8) | version u16 | codec u16 | reserved u32 | first sequence i64 | crc32c of the previous 24 bytes u32 | reserved u32   (32 bytes)
/// record  = payload length u32 | crc32c of (sequence ‖ payload) u32 | sequence i64 | payload                                                  (16 + n bytes)
/// </code>
/// All integers little-endian. Segment files are named by their first sequence: 000000000001.wal.
/// </summary>
internal static class JournalFormat
{
    public const int HeaderSize = 32;
    public const int RecordHeaderSize = 16;
    public const ushort Version = 1;
    public const string Extension = ".wal";

    /// <summary>A record longer than this is treated as damage, not allocated.</summary>
    public const int MaxPayload = 16 * 1024 * 1024;

    private static ReadOnlySpan<byte> Magic => "DWJOURNL"u8;

    public static string FileName(long firstSequence) => firstSequence.ToString("D12", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string path, out long firstSequence)
    {
        firstSequence = 0;
        var name = Path.GetFileName(path);
        return name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out firstSequence)
            && firstSequence > 0;
    }

    public static void WriteHeader(Span<byte> destination, long firstSequence, ushort codec)
    {
        destination[..HeaderSize].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], codec);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], firstSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], Crc32C.Compute(destination[..24]));
    }

    /// <summary>Parses a segment header; null with a reason when it is not one.</summary>
    public static (long FirstSequence, ushort Codec)? ReadHeader(ReadOnlySpan<byte> source, out string? problem)
    {
        problem = null;
        if (source.Length < HeaderSize) { problem = "segment header is incomplete"; return null; }
        if (!source[..8].SequenceEqual(Magic)) { problem = "segment header has a wrong magic number"; return null; }
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[24..]) != Crc32C.Compute(source[..24])) { problem = "segment header checksum mismatch"; return null; }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(source[8..]);
        if (version != Version) { problem = $"segment format version {version} is not supported (this build reads {Version})"; return null; }
        var codec = BinaryPrimitives.ReadUInt16LittleEndian(source[10..]);
        if (!CommandCodec.IsKnown(codec)) { problem = $"segment codec {codec} is not supported"; return null; }
        return (BinaryPrimitives.ReadInt64LittleEndian(source[16..]), codec);
    }

    /// <summary>Fills in the header of a record whose payload was written right after its 16 reserved bytes.</summary>
    public static void CompleteRecord(Span<byte> record, long sequence)
    {
        var payloadLength = record.Length - RecordHeaderSize;
        BinaryPrimitives.WriteInt32LittleEndian(record, payloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[8..]));
    }
}
