using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dealwire.ReadModel.Exports;

/// <summary>A stored export: its file, who made it, when, and the content type it is served with.</summary>
public sealed record ExportFile(string Name, string Path, string Owner, DateTimeOffset Created, string ContentType);

/// <summary>
/// The data directory's <c>storage/</c>: export files named by a random id (<c>{32 hex}.csv|.xlsx</c>, nothing a
/// caller chooses, so no path can be smuggled in), each with a small <c>.owner</c> record beside it naming the actor
/// that made it. Files are written under a temporary name and moved into place, so a download never sees half a
/// file. A file older than <see cref="Retention"/> is gone for readers at once and deleted by <see cref="Sweep"/>.
/// </summary>
public sealed partial class ExportStorage
{
    private const string OwnerSuffix = ".owner";
    private const string PartialSuffix = ".partial";
    private readonly TimeProvider _time;

    public ExportStorage(string directory, TimeSpan retention, TimeProvider time, int maxRows = DefaultMaxRows)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (retention <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(retention), "the export retention must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        Directory = directory;
        Retention = retention;
        MaxRows = maxRows;
        _time = time;
    }

    public const int DefaultMaxRows = 1_000_000;

    /// <summary>The most rows one export may hold: a filter matching more is refused, not cut (a partial export misleads).</summary>
    public int MaxRows { get; }

    public string Directory { get; }

    public TimeSpan Retention { get; }

    public static string Extension(ExportFormat format) => format == ExportFormat.Excel ? ".xlsx" : ".csv";

    /// <summary>Writes <paramref name="table"/> as a new file owned by <paramref name="owner"/> (an audit actor such as "manager:7"); returns its name.</summary>
    public async Task<string> SaveAsync(ExportTable table, ExportFormat format, string owner, string sheetName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        System.IO.Directory.CreateDirectory(Directory);
        var name = Guid.NewGuid().ToString("N") + Extension(format);
        var path = System.IO.Path.Combine(Directory, name);
        var partial = path + PartialSuffix;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                if (format == ExportFormat.Excel) XlsxTableWriter.Write(file, table, sheetName);
                else CsvTableWriter.Write(file, table);
                await file.FlushAsync(cancellationToken);
            }
            var record = JsonSerializer.Serialize(new OwnerRecord(owner, _time.GetUtcNow().ToUnixTimeMilliseconds()));
            await File.WriteAllTextAsync(path + OwnerSuffix, record, cancellationToken);
            File.Move(partial, path);
            return name;
        }
        catch
        {
            File.Delete(partial);
            File.Delete(path + OwnerSuffix);
            throw;
        }
    }

    /// <summary>The stored, unexpired export of that name, or null (unknown name, malformed name, expired or half-written).</summary>
    public ExportFile? Find(string? name)
    {
        if (name is null || !FileName().IsMatch(name)) return null;
        var path = System.IO.Path.Combine(Directory, name);
        if (!File.Exists(path) || ReadOwner(path + OwnerSuffix) is not { } owner) return null;
        var created = DateTimeOffset.FromUnixTimeMilliseconds(owner.CreatedMs);
        if (_time.GetUtcNow() - created >= Retention) return null;
        var type = name.EndsWith(".xlsx", StringComparison.Ordinal)
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            : "text/csv; charset=utf-8";
        return new ExportFile(name, path, owner.Owner, created, type);
    }

    /// <summary>
    /// Deletes every export past its retention, every orphaned owner record and every half-written file (a crash
    /// mid-write); returns how many exports were deleted.
    /// </summary>
    public int Sweep()
    {
        if (!System.IO.Directory.Exists(Directory)) return 0;
        var now = _time.GetUtcNow();
        var deleted = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = System.IO.Path.GetFileName(path);
            if (name.EndsWith(PartialSuffix, StringComparison.Ordinal))
            {
                // A partial older than the retention cannot belong to a write still running.
                if (now - File.GetLastWriteTimeUtc(path) >= Retention) TryDelete(path);
                continue;
            }
            if (name.EndsWith(OwnerSuffix, StringComparison.Ordinal))
            {
                if (!File.Exists(path[..^OwnerSuffix.Length]) && now - File.GetLastWriteTimeUtc(path) >= Retention) TryDelete(path);
                continue;
            }
            if (!FileName().IsMatch(name)) continue;
            var owner = ReadOwner(path + OwnerSuffix);
            var created = owner is null ? new DateTimeOffset(File.GetLastWriteTimeUtc(path)) : DateTimeOffset.FromUnixTimeMilliseconds(owner.CreatedMs);
            if (now - created < Retention) continue;
            if (TryDelete(path)) deleted++;
            TryDelete(path + OwnerSuffix);
        }
        return deleted;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false; // a download holds it open on a platform that locks: the next sweep takes it
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static OwnerRecord? ReadOwner(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<OwnerRecord>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record OwnerRecord(string Owner, long CreatedMs);

    [GeneratedRegex("^[0-9a-f]{32}\\.(csv|xlsx)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
