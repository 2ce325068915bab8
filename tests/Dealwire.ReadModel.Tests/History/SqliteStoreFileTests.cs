using Dealwire.ReadModel.History;
using Microsoft.Data.Sqlite;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>The embedded store's file: 8 KB pages in WAL mode when it is created; a file made with other pages opens as it is.</summary>
public sealed class SqliteStoreFileTests
{
    [Fact]
    public async Task A_new_history_file_has_8_KB_pages_in_WAL_mode()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);
        await using (var store = db.OpenStore())
        {
            await store.OpenAsync();
        }
        Assert.Equal(8192L, Pragma(db, "page_size"));
        Assert.Equal("wal", Pragma(db, "journal_mode"));
    }

    [Fact]
    public async Task A_file_created_with_4_KB_pages_keeps_them_and_opens()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);
        Pragma(db, "page_size = 4096; CREATE TABLE earlier (x INTEGER)");
        await using (var store = db.OpenStore())
        {
            await store.OpenAsync();
            Assert.Equal(0, await store.ReadAppliedSequenceAsync());
        }
        Assert.Equal(4096L, Pragma(db, "page_size"));
        Assert.Equal("wal", Pragma(db, "journal_mode"));
    }

    private static object? Pragma(HistoryDatabase db, string pragma)
    {
        using var c = new SqliteConnection(db.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA {pragma}";
        return cmd.ExecuteScalar();
    }
}
