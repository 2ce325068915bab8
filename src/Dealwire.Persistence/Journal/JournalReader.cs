using System.Buffers.Binary;
using Dealwire.Persistence.IO;

namespace Dealwire.Persistence.Journal;

/// <summary>A journal segment file and the sequence its name (and header) says it starts at.</summary>
internal sealed record SegmentFile(string Path, long FirstSequence);

/// <summary>The unwritten end of the last segment, left by a crash in the middle of a write.</summary>
/// <param name="File">The last segment.</param>
/// <param name="Offset">Where the valid data ends; everything from here on is dropped.</param>
/// <param name="Length">Bytes dropped.</param>
/// <param name="Reason">What was found there.</param>
/// <param name="WholeFile">The segment has not even a complete header: the file itself is dropped.</param>
public sealed record TornTail(string File, long Offset, long Length, string Reason, bool WholeFile);

/// <summary>What a scan of the journal found.</summary>
internal sealed class JournalScan
{
    public List<SegmentFile> Segments { get; } = new();

    /// <summary>Records checked (delivered or not).</summary>
    public long RecordsRead { get; set; }

    /// <summary>Records handed to the handler (sequence above the requested start).</summary>
    public long RecordsDelivered { get; set; }

    /// <summary>First sequence the journal still holds; 0 when it has no segment.</summary>
    public long FirstSequence { get; set; }

    /// <summary>Sequence of the last valid record (or the last segment's first sequence − 1 when it is empty); 0 with no segment.</summary>
    public long LastSequence { get; set; }

    /// <summary>Size of the last segment's valid part (where appending would continue).</summary>
    public long LastSegmentValidLength { get; set; }

    public TornTail? Torn { get; set; }

    /// <summary>Preallocated zero bytes after the last segment's data (a clean end, not a torn write).</summary>
    public long ZeroTailBytes { get; set; }
}

/// <summary>Called for each record in order: its sequence, the segment's codec, payload, file and record offset.</summary>
internal delegate void JournalRecordHandler(long sequence, ushort codec, ReadOnlySpan<byte> payload, string file, long offset);

/// <summary>
/// Reads and checks journal segments. Zero bytes from a record boundary to the end of a segment are its
/// preallocated, never-written part: a clean end. Every other problem is classified: damage at the very end
/// of the last segment that no valid record follows is a torn write (reported, never thrown); anything else throws
/// <see cref="DataCorruptionException"/> with file and offset.
/// </summary>
internal static class JournalReader
{
    public static List<SegmentFile> ListSegments(string directory)
    {
        var list = new List<SegmentFile>();
        if (!Directory.Exists(directory)) return list;
        foreach (var path in Directory.EnumerateFiles(directory, "*" + JournalFormat.Extension))
        {
            if (JournalFormat.TryParseFileName(path, out var first)) list.Add(new SegmentFile(path, first));
        }
        list.Sort((a, b) => a.FirstSequence.CompareTo(b.FirstSequence));
        return list;
    }

    /// <summary>
    /// Checks the journal and delivers every record with a sequence above <paramref name="afterSequence"/>.
    /// Segments that hold only records at or below it are skipped unless <paramref name="checkCoveredSegments"/>.
    /// </summary>
    public static JournalScan Read(string directory, long afterSequence, JournalRecordHandler? handler, bool checkCoveredSegments)
    {
        var scan = new JournalScan();
        scan.Segments.AddRange(ListSegments(directory));
        var segments = scan.Segments;
        if (segments.Count == 0)
        {
            scan.LastSequence = 0;
            return scan;
        }

        scan.FirstSequence = segments[0].FirstSequence;
        long expected = -1; // next sequence the journal must hold; unknown before the first segment read
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Count - 1;
            var coveredEnd = isLast ? long.MaxValue : segments[i + 1].FirstSequence - 1;
            if (!checkCoveredSegments && !isLast && coveredEnd <= afterSequence)
            {
                // Fully below the start point: recovery needs none of it; its range is implied by the names.
                expected = coveredEnd + 1;
                continue;
            }

            if (expected < 0 && segment.FirstSequence > afterSequence + 1)
            {
                throw new DataCorruptionException(segment.Path, 0,
                    $"The journal starts at sequence {segment.FirstSequence}, but recovery needs every command after {afterSequence}: a segment is missing");
            }
            if (expected >= 0 && segment.FirstSequence != expected)
            {
                throw new DataCorruptionException(segment.Path, 0,
                    $"Sequence gap: the previous segment ends at {expected - 1} but this one starts at {segment.FirstSequence} (a segment is missing or was cut short)");
            }

            expected = ReadSegment(segment, isLast, afterSequence, handler, scan);
        }
        scan.LastSequence = expected - 1;
        return scan;
    }

    /// <summary>Reads one segment; returns the next expected sequence.</summary>
    private static long ReadSegment(SegmentFile segment, bool isLast, long afterSequence, JournalRecordHandler? handler, JournalScan scan)
    {
        var data = File.ReadAllBytes(segment.Path);
        var header = JournalFormat.ReadHeader(data, out var headerProblem);
        if (header is null)
        {
            if (isLast && !AnyValidRecordAfter(data, 0, segment.FirstSequence))
            {
                // Created but never fully written: the crash hit right after a segment roll.
                scan.Torn = new TornTail(segment.Path, 0, data.Length, headerProblem!, WholeFile: true);
                scan.LastSegmentValidLength = 0;
                return segment.FirstSequence;
            }
            throw new DataCorruptionException(segment.Path, 0, headerProblem!);
        }
        if (header.Value.FirstSequence != segment.FirstSequence)
        {
            throw new DataCorruptionException(segment.Path, 16,
                $"The segment header says it starts at sequence {header.Value.FirstSequence} but its name says {segment.FirstSequence}");
        }

        var expected = segment.FirstSequence;
        var offset = JournalFormat.HeaderSize;
        while (offset < data.Length)
        {
            var problem = CheckRecord(data, offset, out var payloadLength, out var sequence);
            if (problem is not null)
            {
                // Zeros from a record boundary to the end: the unwritten, preallocated part of the segment.
                // Nothing there was ever written, so nothing was acknowledged: a clean end, not damage.
                // (A closed segment is trimmed when it is closed, but zeros there are just as empty; the
                // sequence check against the next segment still catches any lost record.)
                if (data.AsSpan(offset).IndexOfAnyExcept((byte)0) < 0)
                {
                    scan.ZeroTailBytes += isLast ? data.Length - offset : 0;
                    break;
                }
                if (isLast && !AnyValidRecordAfter(data, offset, expected))
                {
                    scan.Torn = new TornTail(segment.Path, offset, data.Length - offset, problem, WholeFile: false);
                    break;
                }
                throw new DataCorruptionException(segment.Path, offset,
                    isLast ? $"Damaged record ({problem}) with valid records after it" : $"Damaged record ({problem}) in a closed segment");
            }
            if (sequence != expected)
            {
                throw new DataCorruptionException(segment.Path, offset,
                    $"Sequence gap: expected record {expected}, found {sequence}");
            }

            scan.RecordsRead++;
            if (sequence > afterSequence && handler is not null)
            {
                handler(sequence, header.Value.Codec, data.AsSpan(offset + JournalFormat.RecordHeaderSize, payloadLength), segment.Path, offset);
                scan.RecordsDelivered++;
            }
            expected++;
            offset += JournalFormat.RecordHeaderSize + payloadLength;
        }
        scan.LastSegmentValidLength = offset;
        return expected;
    }

    private static string? CheckRecord(ReadOnlySpan<byte> data, int offset, out int payloadLength, out long sequence)
    {
        payloadLength = 0;
        sequence = 0;
        var remaining = data.Length - offset;
        if (remaining < JournalFormat.RecordHeaderSize) return $"incomplete record header ({remaining} bytes)";
        var record = data[offset..];
        var length = BinaryPrimitives.ReadInt32LittleEndian(record);
        if (length < 0 || length > JournalFormat.MaxPayload) return $"impossible record length {length}";
        if (length > remaining - JournalFormat.RecordHeaderSize) return $"record of {length} bytes runs past the end of the file";
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(record[4..]);
        if (crc != Crc32C.Compute(record.Slice(8, 8 + length))) return "checksum mismatch";
        payloadLength = length;
        sequence = BinaryPrimitives.ReadInt64LittleEndian(record[8..]);
        return null;
    }

    /// <summary>
    /// Writes are sequential, so a torn write can only damage the end: if any well-formed record with a
    /// plausible sequence follows the damage, the damage is corruption of acknowledged data instead.
    /// </summary>
    private static bool AnyValidRecordAfter(byte[] data, int damagedOffset, long expected)
    {
        for (var at = damagedOffset + 1; at + JournalFormat.RecordHeaderSize <= data.Length; at++)
        {
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at + 8));
            if (sequence < expected || sequence > expected + 100_000_000) continue;
            if (CheckRecord(data, at, out _, out _) is null) return true;
        }
        return false;
    }
}
