using System.Data.Common;
using Dealwire.ReadModel.History.Sql;
using Microsoft.Data.Sqlite;

namespace Dealwire.ReadModel.History.Sqlite;

/// <summary>
/// The embedded history store: one SQLite file (WAL mode, so readers never block the projector's writes).
/// Trades and the ledger go in with one prepared statement per table, re-bound per row inside the transaction.
/// </summary>
internal sealed class SqliteHistoryStore(string connectionString) : SqlHistoryStore
{
    public static readonly HistorySchema.Types SqlTypes = new("INTEGER", "INTEGER", "TEXT", "TEXT", "INTEGER", "TEXT");

    /// <summary>The default file name in the data directory.</summary>
    public const string FileName = "history.db";

    public static SqliteHistoryStore ForDataDirectory(string dataDirectory) =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, FileName), Pooling = true }.ToString());

    protected override IEnumerable<string> Schema => HistorySchema.Statements(SqlTypes).Prepend("PRAGMA journal_mode = WAL");

    protected override string Greatest => "max";

    protected override string Least => "min";

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(connectionString);
        await c.OpenAsync(cancellationToken);
        // WAL with NORMAL sync: a commit survives a process kill; only an OS crash may lose the newest commits,
        // which the projector then re-applies from the journal (the stored sequence moves back with them).
        await using var pragma = c.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return c;
    }

    protected override async Task WriteBulkAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        var deals = Prepare(connection, transaction, "deals", TradeColumns.List, TradeColumns.All.Length, "OR REPLACE");
        var orders = Prepare(connection, transaction, "orders", TradeColumns.List, TradeColumns.All.Length, "OR REPLACE");
        await using (deals)
        await using (orders)
        {
            foreach (var (t, seq) in changes.Trades)
            {
                var kind = HistoryChanges.KindOf(t)!.Value;
                var cmd = kind == HistoryKinds.Orders ? orders : deals;
                Bind(cmd, TradeColumns.Values(t, kind, seq));
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        await using var ledger = Prepare(connection, transaction, "ledger", LedgerColumns.List, 14, "");
        foreach (var (e, seq) in changes.Ledger)
        {
            Bind(ledger, LedgerColumns.Values(e, seq));
            await ledger.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand Prepare(DbConnection c, DbTransaction tx, string table, string columns, int width, string verb)
    {
        var cmd = Command(c, tx, $"INSERT {verb} INTO {table} ({columns}) VALUES ({string.Join(",", Enumerable.Range(0, width).Select(i => $"@p{i}"))})");
        for (int i = 0; i < width; i++) Add(cmd, $"@p{i}", null);
        return cmd;
    }

    private static void Bind(DbCommand cmd, object?[] values)
    {
        for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
