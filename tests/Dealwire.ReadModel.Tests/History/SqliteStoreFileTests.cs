using Dealwire.ReadModel.History;
using Dealwire.ReadModel.History.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>The embedded store's file: 8 KB pages in WAL mode when it is created; a file made with other pages opens as it is.</summary>
public sealed class SqliteStoreFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dw-sqlite-file-").FullName;

    [Fact]
    public async Task A_new_history_file_has_8_KB_pages_in_WAL_mode()
    {
        await using (var store = HistoryStores.Create(new HistoryOptions(), _directory))
        {
            await store.OpenAsync();
        }
        Assert.Equal(8192L, Pragma("page_size"));
        Assert.Equal("wal", Pragma("journal_mode"));
    }

    [Fact]
    public async Task A_file_created_with_4_KB_pages_keeps_them_and_opens()
    {
        using (var c = Connection())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA page_size = 4096; CREATE TABLE earlier (x INTEGER)";
            cmd.ExecuteNonQuery();
        }
        await using (var store = HistoryStores.Create(new HistoryOptions(), _directory))
        {
            await store.OpenAsync();
            Assert.Equal(0, await store.ReadAppliedSequenceAsync());
        }
        Assert.Equal(4096L, Pragma("page_size"));
        Assert.Equal("wal", Pragma("journal_mode"));
    }

    private object? Pragma(string name)
    {
        using var c = Connection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA {name}";
        return cmd.ExecuteScalar();
    }

    private SqliteConnection Connection()
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(_directory, SqliteHistoryStore.FileName)};Pooling=False");
        c.Open();
        return c;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
