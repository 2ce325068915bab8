using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dealwire.Engine.Core;
using Dealwire.Persistence.IO;

namespace Dealwire.Persistence.Snapshots;

/// <summary>What a snapshot file's header says.</summary>
public sealed record SnapshotInfo(string Path, long Sequence, string StateHash, long PayloadBytes)
{
    /// <summary>The snapshot's format (<see cref="EngineSnapshot.FormatVersion"/>): older formats are read and their hash recomputed.</summary>
    public int FormatVersion { get; init; } = EngineSnapshot.CurrentFormat;
}

/// <summary>
/// One snapshot file: snapshot-000000001234.snap, named by the last sequence it includes.
/// <code>
/// header  = magic "DWSNAPSH" (8) | version u16 | codec u16 | reserved u32 | sequence i64 | payload length i64 | payload crc32c u32 | hash length u16 | reserved u16   (40 bytes)
///           state hash (UTF-8) | crc32c of everything before u32
/// payload = UTF-8 JSON of <see cref="EngineSnapshot"/>
/// </code>
/// Written to a .tmp file, fsync'd, renamed into place and the directory fsync'd: a reader sees a whole
/// snapshot or none.
/// </summary>
internal static class SnapshotFile
{
    public const string Extension = ".snap";
    public const string Prefix = "snapshot-";
    public const string TempExtension = ".tmp";
    private const int FixedHeader = 40;
    /// <summary>Header version written; the header layout is the same in 1 and 2, the payload's FormatVersion says what it holds.</summary>
    private const ushort Version = 2;
    private const ushort OldestVersion = 1;
    private const ushort JsonCodec = 1;
    private static ReadOnlySpan<byte> Magic => "DWSNAPSH"u8;
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string FileName(long sequence) => Prefix + sequence.ToString("D12", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string path, out long sequence)
    {
        sequence = 0;
        var name = System.IO.Path.GetFileName(path);
        return name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Writes <paramref name="snapshot"/> atomically into <paramref name="directory"/>.</summary>
    public static SnapshotInfo Write(string directory, EngineSnapshot snapshot, bool fsync)
    {
        Directory.CreateDirectory(directory);
        var payload = JsonSerializer.SerializeToUtf8Bytes(snapshot, Options);
        var hash = Encoding.UTF8.GetBytes(snapshot.StateHash);
        if (hash.Length > ushort.MaxValue) throw new InvalidOperationException("The state hash is too long for a snapshot header.");
        var header = new byte[FixedHeader + hash.Length + 4];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), JsonCodec);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), snapshot.LastSequence);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(32), Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(36), (ushort)hash.Length);
        hash.CopyTo(header, FixedHeader);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(FixedHeader + hash.Length), Crc32C.Compute(header.AsSpan(0, FixedHeader + hash.Length)));

        var path = System.IO.Path.Combine(directory, FileName(snapshot.LastSequence));
        var temp = path + TempExtension;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(header);
            stream.Write(payload);
            stream.Flush(flushToDisk: fsync);
        }
        File.Move(temp, path, overwrite: true);
        if (fsync) FileSync.Directory(directory);
        return new SnapshotInfo(path, snapshot.LastSequence, snapshot.StateHash, payload.Length);
    }

    /// <summary>Reads and checks a snapshot file; throws <see cref="DataCorruptionException"/> when it is damaged.</summary>
    public static (SnapshotInfo Info, EngineSnapshot Snapshot) Read(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < FixedHeader + 4) throw new DataCorruptionException(path, 0, "Snapshot header is incomplete");
        if (!data.AsSpan(0, 8).SequenceEqual(Magic)) throw new DataCorruptionException(path, 0, "Snapshot has a wrong magic number");
        var hashLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(36));
        var headerLength = FixedHeader + hashLength;
        if (data.Length < headerLength + 4) throw new DataCorruptionException(path, FixedHeader, "Snapshot header is incomplete");
        if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(headerLength)) != Crc32C.Compute(data.AsSpan(0, headerLength)))
        {
            throw new DataCorruptionException(path, headerLength, "Snapshot header checksum mismatch");
        }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8));
        var codec = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(10));
        if (version is < OldestVersion or > Version || codec != JsonCodec) throw new DataCorruptionException(path, 8, $"Snapshot format {version}/codec {codec} is not supported");
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(16));
        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(24));
        var payloadStart = headerLength + 4;
        if (payloadLength != data.Length - payloadStart)
        {
            throw new DataCorruptionException(path, payloadStart, $"Snapshot payload is {data.Length - payloadStart} bytes, the header says {payloadLength}");
        }
        var payload = data.AsSpan(payloadStart);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(32)) != Crc32C.Compute(payload))
        {
            throw new DataCorruptionException(path, payloadStart, "Snapshot payload checksum mismatch");
        }
        var hash = Encoding.UTF8.GetString(data, FixedHeader, hashLength);
        EngineSnapshot snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize<EngineSnapshot>(payload, Options) ?? throw new JsonException("null snapshot");
        }
        catch (JsonException ex)
        {
            throw new DataCorruptionException(path, payloadStart + (ex.BytePositionInLine ?? 0), $"Snapshot payload cannot be decoded: {ex.Message}");
        }
        if (snapshot.LastSequence != sequence)
        {
            throw new DataCorruptionException(path, 16, $"Snapshot header says sequence {sequence}, its content says {snapshot.LastSequence}");
        }
        if (snapshot.FormatVersion is < OldestVersion or > EngineSnapshot.CurrentFormat)
        {
            throw new DataCorruptionException(path, payloadStart, $"Snapshot payload format {snapshot.FormatVersion} is not supported");
        }
        return (new SnapshotInfo(path, sequence, hash, payloadLength) { FormatVersion = snapshot.FormatVersion }, snapshot);
    }
}
