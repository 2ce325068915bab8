using Dealwire.Persistence.IO;
using Microsoft.Win32.SafeHandles;

namespace Dealwire.Persistence.Journal;

/// <summary>
/// The segment file being appended to. Writes go to explicit offsets (one pwrite per batch). In
/// <see cref="DurabilityMode.Fsync"/> mode the file is zero-filled ahead of the write position in chunks, so
/// the write of a batch never changes the file size and <c>fdatasync</c> has only data to flush — on ext4 that
/// skips the metadata journal commit and roughly halves the cost of a durable write. A zero-filled tail is a
/// clean end to the reader; a closed segment is trimmed to its data.
/// </summary>
internal sealed class JournalSegment : IDisposable
{
    /// <summary>How far ahead of the write position the file is zero-filled (at most the segment size).</summary>
    internal const int PreallocationChunk = 1024 * 1024;

    private static readonly byte[] Zeros = new byte[64 * 1024];

    private readonly SafeFileHandle _handle;
    private readonly bool _preallocate;
    private readonly int _chunk;
    private long _allocated;

    private JournalSegment(string path, SafeFileHandle handle, long firstSequence, ushort codec, long length, DurabilityMode mode, long segmentSize)
    {
        Path = path;
        _handle = handle;
        FirstSequence = firstSequence;
        Codec = codec;
        Length = length;
        _allocated = length;
        _preallocate = mode == DurabilityMode.Fsync;
        _chunk = (int)Math.Min(PreallocationChunk, segmentSize);
    }

    public string Path { get; }

    public long FirstSequence { get; }

    /// <summary>Payload codec of this segment (from its header): records appended to it must use it.</summary>
    public ushort Codec { get; }

    /// <summary>Bytes of header and records written; where the next write goes.</summary>
    public long Length { get; private set; }

    /// <summary>Creates a segment with its header; in Fsync mode the header and the directory entry are durable on return.</summary>
    public static JournalSegment Create(string directory, long firstSequence, ushort codec, DurabilityMode mode, long segmentSize)
    {
        var path = System.IO.Path.Combine(directory, JournalFormat.FileName(firstSequence));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        try
        {
            Span<byte> header = stackalloc byte[JournalFormat.HeaderSize];
            JournalFormat.WriteHeader(header, firstSequence, codec);
            var segment = new JournalSegment(path, handle, firstSequence, codec, 0, mode, segmentSize);
            segment.Write(header);
            if (mode == DurabilityMode.Fsync)
            {
                RandomAccess.FlushToDisk(handle); // size and allocation too, not only data
                FileSync.Directory(directory);
            }
            return segment;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Continues an intact segment after its <paramref name="validLength"/> bytes (anything beyond is cut).</summary>
    public static JournalSegment Open(SegmentFile file, long validLength, DurabilityMode mode, long segmentSize)
    {
        var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            Span<byte> header = stackalloc byte[JournalFormat.HeaderSize];
            var read = RandomAccess.Read(handle, header, 0);
            var parsed = JournalFormat.ReadHeader(header[..read], out var problem)
                ?? throw new DataCorruptionException(file.Path, 0, problem!);
            RandomAccess.SetLength(handle, validLength);
            return new JournalSegment(file.Path, handle, file.FirstSequence, parsed.Codec, validLength, mode, segmentSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes at the end of the data, zero-filling ahead first when preallocating.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        var end = Length + data.Length;
        if (_preallocate && end > _allocated) Preallocate(end);
        RandomAccess.Write(_handle, data, Length);
        Length = end;
    }

    /// <summary>
    /// Makes every write so far durable: <c>fdatasync</c> on Linux (it still flushes the size when a write
    /// grew the file, so it is correct without preallocation too), a full flush elsewhere.
    /// </summary>
    public void Sync()
    {
        if (OperatingSystem.IsLinux()) FileSync.Data(_handle);
        else RandomAccess.FlushToDisk(_handle);
    }

    /// <summary>Cuts the preallocated zeros off (a closed segment ends with its last record) and syncs when asked.</summary>
    public void Close(bool sync)
    {
        if (_allocated > Length) RandomAccess.SetLength(_handle, Length);
        _allocated = Length;
        if (sync) RandomAccess.FlushToDisk(_handle);
    }

    public void Dispose() => _handle.Dispose();

    private void Preallocate(long needed)
    {
        var target = Math.Max(needed, _allocated + _chunk);
        for (var at = Math.Max(_allocated, Length); at < target; at += Zeros.Length)
        {
            RandomAccess.Write(_handle, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, target - at)), at);
        }
        _allocated = target;
    }
}
