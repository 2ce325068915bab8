using System.Data.Common;
using System.Globalization;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History.Sql;
using Microsoft.Data.Sqlite;

namespace Dealwire.ReadModel.History.Sqlite;

/// <summary>
/// The embedded history store: one SQLite file (WAL mode, so readers never block the projector's writes).
/// Trades, the ledger and the audit log go in with one prepared statement per table, bound by position through
/// SQLite's own API (<see cref="SqliteRowWriter"/>) and re-run per row inside the transaction.
/// </summary>
internal sealed class SqliteHistoryStore(string connectionString) : SqlHistoryStore
{
    public static readonly HistorySchema.Types SqlTypes = new("INTEGER", "INTEGER", "TEXT", "TEXT", "INTEGER", "TEXT");

    /// <summary>The default file name in the data directory.</summary>
    public const string FileName = "history.db";

    public static SqliteHistoryStore ForDataDirectory(string dataDirectory) =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, FileName), Pooling = true }.ToString());

    protected override HistorySchema.Types ColumnTypes => SqlTypes;

    // 8 KB pages (set when the file is created; an older file keeps its own): each transaction rewrites the tail page of
    // every table and index it appends to, and the WAL takes a page per write. Against 4 KB the write took 3-4 % less CPU
    // per command and the file 6 % less space; 16 KB pages cost 70 % more CPU (docs/performance.md, session 19).
    protected override IEnumerable<string> Schema => ["PRAGMA page_size = 8192", "PRAGMA journal_mode = WAL", .. HistorySchema.Statements(SqlTypes)];

    // Money is TEXT here, and SQLite's max()/min() compare text as text: a candle going from 99.5 to 100.2 kept 99.5 as
    // its high and took 100.2 as its low. These compare the values as decimals (exactly) and keep the stored text.
    protected override string Greatest => "money_max";

    protected override string Least => "money_min";

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(connectionString);
        await c.OpenAsync(cancellationToken);
        c.CreateFunction("money_max", (string a, string b) => Money(a) >= Money(b) ? a : b, isDeterministic: true);
        c.CreateFunction("money_min", (string a, string b) => Money(a) <= Money(b) ? a : b, isDeterministic: true);
        // WAL with NORMAL sync: a commit survives a process kill; only an OS crash may lose the newest commits,
        // which the projector then re-applies from the journal (the stored sequence moves back with them).
        await using var pragma = c.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return c;
    }

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    protected override Task WriteTradesAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        var c = (SqliteConnection)connection;
        // Only a ticket edited, deleted or restored in this run can have a row already (HistoryChanges.Replaced): every
        // other row is a plain append. INSERT OR REPLACE on a table with indexes and NOT NULL columns makes SQLite keep
        // a statement journal for each row (a copy of every page the row touches, spilled to a temporary file): under
        // a manager's round-trip load that was four 8 KB writes to /var/tmp for each one to the WAL.
        // One statement per TradeSql entry, prepared when a run first needs it.
        var writers = new SqliteRowWriter?[TradeSql.Length];
        try
        {
            foreach (var (t, seq) in changes.Trades)
            {
                ct.ThrowIfCancellationRequested();
                var kind = HistoryChanges.KindOf(t)!.Value;
                var statement = (kind == HistoryKinds.Orders ? 2 : 0) + (changes.Replaced.Contains(t.Ticket) ? 1 : 0);
                var row = writers[statement] ??= new SqliteRowWriter(c, TradeSql[statement]);
                WriteTrade(row, t, kind, seq);
                row.Insert();
            }
        }
        finally
        {
            foreach (var w in writers) w?.Dispose();
        }
        return Task.CompletedTask;
    }

    protected override Task WriteLedgerAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Ledger.Count == 0) return Task.CompletedTask;
        using var ledger = new SqliteRowWriter((SqliteConnection)connection, LedgerSql);
        foreach (var (e, seq) in changes.Ledger)
        {
            ledger.Long(1, e.Id);
            ledger.Long(2, e.Login);
            ledger.Int(3, (int)e.Kind);
            ledger.Money(4, e.Amount);
            ledger.Money(5, e.BalanceAfter);
            ledger.Money(6, e.CreditAfter);
            ledger.Long(7, e.Ticket);
            ledger.Text(8, e.Comment);
            ledger.Long(9, e.Time);
            ledger.Text(10, e.IdempotencyKey);
            ledger.Text(11, e.Reference);
            ledger.Text(12, e.Actor);
            ledger.Long(13, e.ReversesId);
            ledger.Long(14, seq);
            ledger.Insert();
        }
        return Task.CompletedTask;
    }

    /// <summary>Audit rows of journaled commands through the positional writer too.</summary>
    protected override Task WriteAuditAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Audit.Count == 0) return Task.CompletedTask;
        using var audit = new SqliteRowWriter((SqliteConnection)connection, AuditSql);
        foreach (var a in changes.Audit)
        {
            audit.Long(1, a.Sequence);
            audit.Long(2, a.Time);
            audit.Text(3, a.Actor);
            audit.Text(4, a.Source);
            audit.Text(5, a.Command);
            audit.Utf8(6, a.Payload);
            audit.Utf8(7, a.After);
            audit.Insert();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Ticks through the positional writer as well: a multi-row INSERT binds ~256 named parameters per statement
    /// (SQLite's name look-up is a linear scan), which at full feed rate was 5 % of the server's CPU in <c>strncmp</c>.
    /// </summary>
    protected override Task WriteTicksAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Ticks.Count == 0) return Task.CompletedTask;
        using var ticks = new SqliteRowWriter((SqliteConnection)connection, TicksSql);
        foreach (var t in changes.Ticks)
        {
            ticks.Text(1, t.Symbol);
            ticks.Long(2, t.Time);
            ticks.Long(3, t.Sequence);
            ticks.Money(4, t.Bid);
            ticks.Money(5, t.Ask);
            ticks.Insert();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Candles through the positional writer as well: one tick batch merges a candle per timeframe and symbol, and as one
    /// multi-row statement their named parameters' look-up was the projector's largest cost at one tick per batch.
    /// </summary>
    protected override Task MergeTickCandlesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<Candle> candles, CancellationToken ct)
    {
        if (candles.Count == 0) return Task.CompletedTask;
        using var merge = new SqliteRowWriter((SqliteConnection)connection, _candlesSql ??= InsertSql("candles", CandleColumns, CandleColumns.Split(',').Length, "", CandleMerge));
        foreach (var k in candles)
        {
            merge.Text(1, k.Symbol);
            merge.Int(2, k.Timeframe);
            merge.Long(3, k.Time);
            merge.Money(4, k.Open);
            merge.Money(5, k.High);
            merge.Money(6, k.Low);
            merge.Money(7, k.Close);
            merge.Long(8, k.Ticks);
            merge.Insert();
        }
        return Task.CompletedTask;
    }

    // The statements' text, built once rather than per batch (the candle merge names this store's money functions).
    // Indexed as WriteTradesAsync picks them: +2 for the orders table, +1 for a ticket that may already have a row.
    private static readonly string[] TradeSql =
    [
        TradeInsertSql("deals", ""), TradeInsertSql("deals", "OR REPLACE"),
        TradeInsertSql("orders", ""), TradeInsertSql("orders", "OR REPLACE"),
    ];
    private static readonly string LedgerSql = InsertSql("ledger", LedgerColumns.List, LedgerColumns.Count, "");
    private static readonly string AuditSql = InsertSql("audit_log", AuditColumns.List, AuditColumns.Count, "");
    private static readonly string TicksSql = InsertSql("ticks", TickColumns.List, TickColumns.Count, "");
    private string? _candlesSql;

    private static string TradeInsertSql(string table, string verb) => InsertSql(table, TradeColumns.List, TradeColumns.All.Length, verb);

    private static string InsertSql(string table, string columns, int width, string verb, string tail = "") =>
        $"INSERT {verb} INTO {table} ({columns}) VALUES ({string.Join(",", Enumerable.Range(1, width).Select(i => $"?{i}"))}) {tail}";

    /// <summary>One row in <see cref="TradeColumns.All"/> order (columns numbered from 1).</summary>
    private static void WriteTrade(SqliteRowWriter w, TradeRecord t, HistoryKinds kind, long sequence)
    {
        w.Long(1, t.Ticket);
        w.Long(2, t.Login);
        w.Int(3, (int)kind);
        w.Text(4, t.Symbol);
        w.Int(5, t.Digits);
        w.Int(6, (int)t.Command);
        w.Int(7, t.Volume);
        w.Int(8, (int)t.State);
        w.Long(9, t.OpenTime);
        w.Money(10, t.OpenPrice);
        w.Money(11, t.StopLimitPrice);
        w.Money(12, t.StopLoss);
        w.Money(13, t.TakeProfit);
        w.Int(14, t.TrailingDistance);
        w.Int(15, (int)t.ExpirationMode);
        w.Long(16, t.Expiration);
        w.Long(17, t.CloseTime);
        w.Money(18, t.ClosePrice);
        w.Money(19, t.Commission);
        w.Money(20, t.AgentCommission);
        w.Money(21, t.Swap);
        w.Money(22, t.Profit);
        w.Money(23, t.Taxes);
        w.Money(24, t.MarginInitial);
        w.Money(25, t.OpenRate);
        w.Money(26, t.CloseRate);
        w.Int(27, (int)t.Reason);
        w.Int(28, (int)t.Activation);
        w.Long(29, t.Magic);
        w.Text(30, t.Comment);
        w.Long(31, t.ParentTicket);
        w.Int(32, t.ClosedVolume);
        w.Long(33, t.ClosedByTicket);
        w.Long(34, t.CloseOrderTicket);
        w.Int(35, t.ActivatedFrom is { } o ? (int)o.Command : null);
        w.Long(36, t.ActivatedFrom?.PlacedTime);
        w.Money(37, t.ActivatedFrom?.Price);
        w.Long(38, t.UpdateTime);
        w.Text(39, t.ChangedBy);
        w.Text(40, t.GatewayOrder);
        w.Text(41, t.GatewaySource);
        w.Text(42, t.GatewayUuid);
        w.Text(43, t.ApiData);
        w.Long(44, sequence);
        w.Money(45, t.MarginRate);
        w.Long(46, t.LastSwapTime);
    }
}
