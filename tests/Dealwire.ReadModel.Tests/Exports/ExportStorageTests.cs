using Dealwire.ReadModel.Exports;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.ReadModel.Tests.Exports;

public sealed class ExportStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dealwire-exports-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static ExportTable Table()
    {
        var table = new ExportTable(["order", "profit"]);
        table.Add([1L, 2.5m]);
        return table;
    }

    [Theory]
    [InlineData(ExportFormat.Csv, ".csv", "text/csv; charset=utf-8")]
    [InlineData(ExportFormat.Excel, ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public async Task A_saved_export_is_found_with_its_owner_until_the_retention_ends(ExportFormat format, string extension, string contentType)
    {
        var storage = new ExportStorage(_directory, TimeSpan.FromHours(1), _time);
        var name = await storage.SaveAsync(Table(), format, "manager:7", "Trades");
        Assert.Matches("^[0-9a-f]{32}" + extension.Replace(".", "\\.", StringComparison.Ordinal) + "$", name);
        var file = storage.Find(name);
        Assert.NotNull(file);
        Assert.Equal(("manager:7", contentType), (file.Owner, file.ContentType));
        Assert.True(new FileInfo(file.Path).Length > 0);

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(storage.Find(name));
        Assert.Equal(0, storage.Sweep());
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(storage.Find(name)); // expired for readers before the sweep runs
        Assert.Equal(1, storage.Sweep());
        Assert.Empty(Directory.EnumerateFiles(_directory));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../keys/managers.json")]
    [InlineData("0123456789abcdef0123456789abcdef.csv.owner")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF.csv")]
    [InlineData("0123456789abcdef0123456789abcdef.exe")]
    [InlineData("0123456789abcdef0123456789abcdef.csv")]
    public void Find_refuses_names_it_did_not_make(string? name)
    {
        var storage = new ExportStorage(_directory, TimeSpan.FromHours(1), _time);
        Assert.Null(storage.Find(name));
    }

    [Fact]
    public async Task Sweep_removes_half_written_files_and_orphaned_owner_records_once_old()
    {
        var storage = new ExportStorage(_directory, TimeSpan.FromHours(1), _time);
        var kept = await storage.SaveAsync(Table(), ExportFormat.Csv, "user:5", "x");
        var partial = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".csv.partial");
        var orphan = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".csv.owner");
        await File.WriteAllTextAsync(partial, "half");
        await File.WriteAllTextAsync(orphan, "{}");
        var old = _time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(2);
        File.SetLastWriteTimeUtc(partial, old);
        File.SetLastWriteTimeUtc(orphan, old);
        storage.Sweep();
        Assert.False(File.Exists(partial));
        Assert.False(File.Exists(orphan));
        Assert.NotNull(storage.Find(kept));
    }

    [Fact]
    public void Retention_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExportStorage(_directory, TimeSpan.Zero, _time));
}
