using System.Data.Common;
using System.Text;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.History.Sql;

/// <summary>
/// What both providers share: the reads (plain ANSI SQL with row-value keyset comparisons, which SQLite and
/// PostgreSQL both run off the (login, time, id) indexes), the transaction that stores rows with the applied
/// sequence, and read-your-writes waiting. A provider supplies connections, DDL and its bulk row writer.
/// </summary>
internal abstract partial class SqlHistoryStore : IHistoryStore
{
    private readonly object _waitLock = new();
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = new();
    private long _applied;
    private TaskCompletionSource? _readerArrival;
    // Each lane's stored sequence (index = lane - 1), under _waitLock; AppliedSequence is the lower of the two.
    private readonly long[] _lanes = new long[2];
    private static readonly HistoryLane[] AllLanes = [HistoryLane.Trades, HistoryLane.Ledger];
    private ProjectorThread? _ledgerThread;

    public long AppliedSequence => Volatile.Read(ref _applied);

    public long LeadingSequence
    {
        get
        {
            lock (_waitLock) return Math.Max(_lanes[0], _lanes[1]);
        }
    }

    /// <summary>
    /// True to write the two lanes on two connections at once (PostgreSQL); false writes both in one transaction
    /// (SQLite has one writer, and a second commit would be a second WAL sync).
    /// </summary>
    protected virtual bool ConcurrentLanes => false;

    public Task ReaderArrival
    {
        get
        {
            lock (_waitLock)
            {
                return _waiters.Count > 0 ? Task.CompletedTask : (_readerArrival ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Statements that create every table and index if missing.</summary>
    protected abstract IEnumerable<string> Schema { get; }

    /// <summary>The provider's type names, for columns added to an existing table.</summary>
    protected abstract HistorySchema.Types ColumnTypes { get; }

    /// <summary>SQL for the larger / smaller of two values (GREATEST/LEAST in PostgreSQL, max/min in SQLite).</summary>
    protected abstract string Greatest { get; }

    protected abstract string Least { get; }

    /// <summary>Bulk rows of deals and orders (the volume), inside the caller's transaction.</summary>
    protected abstract Task WriteTradesAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct);

    /// <summary>Bulk rows of the ledger, inside the caller's transaction.</summary>
    protected abstract Task WriteLedgerAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct);

    private static readonly string[] TradeTableNames = ["deals", "orders"];

    public static readonly string[] Tables = ["deals", "orders", "ledger", "accounts", "end_of_day", "audit_log", "candles", "ticks"];

    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        foreach (var ddl in Schema) await ExecAsync(c, null, ddl, cancellationToken);
        await AddLaterColumnsAsync(c, cancellationToken);
        await ExecAsync(c, null, "INSERT INTO projector_state (id, sequence) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM projector_state WHERE id = 1)", cancellationToken);
        // A store written before the lanes had one row for everything, committed with every table: the ledger lane
        // stands where that row does.
        await ExecAsync(c, null, "INSERT INTO projector_state (id, sequence) SELECT 2, sequence FROM projector_state WHERE id = 1 " +
            "AND NOT EXISTS (SELECT 1 FROM projector_state WHERE id = 2)", cancellationToken);
        await ReadAppliedSequenceAsync(cancellationToken);
    }

    /// <summary>Stores made before a trade column existed get it, with the value older rows mean (0 = not recorded).</summary>
    private async Task AddLaterColumnsAsync(DbConnection c, CancellationToken ct)
    {
        foreach (var table in TradeTableNames)
        {
            foreach (var (name, type) in TradeColumns.AddedLater)
            {
                if (await HasColumnAsync(c, table, name, ct)) continue;
                await ExecAsync(c, null, $"ALTER TABLE {table} ADD COLUMN {name} {HistorySchema.ColumnType(type, ColumnTypes)} DEFAULT 0", ct);
            }
        }
    }

    public async Task<long> ReadAppliedSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT id, sequence FROM projector_state WHERE id IN (1, 2)");
        await using var rows = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken)) Advance((HistoryLane)Convert.ToInt32(rows.GetValue(0)), Convert.ToInt64(rows.GetValue(1)));
        return AppliedSequence;
    }

    public async Task ApplyAsync(HistoryChanges changes, CancellationToken cancellationToken = default)
    {
        if (changes.IsEmpty) return;
        // Every lane holds the whole run already: a repeat (a lane ahead of the other skips only its part of a new run).
        if (changes.LastSequence <= AppliedSequence) throw new HistorySequenceException(changes.FirstSequence, AppliedSequence);
        if (ConcurrentLanes)
        {
            // The ledger lane on a thread of its own: the COPY writes block, and on the caller's thread they would
            // wait for the trades lane's (both lanes' awaits resume on their own thread, as the projector's do).
            _ledgerThread ??= new ProjectorThread("dealwire-history-ledger");
            var ledger = _ledgerThread.Start(() => ApplyLaneAsync(HistoryLane.Ledger, changes, cancellationToken));
            // Both end before this returns, also when one fails: a retry must not race the other lane for its row.
            await Task.WhenAll(ApplyLaneAsync(HistoryLane.Trades, changes, cancellationToken), ledger);
            return;
        }
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var claimed = new List<HistoryLane>(AllLanes.Length);
        foreach (var lane in AllLanes)
        {
            if (Holds(lane, changes)) continue;
            await ClaimLaneAsync(c, tx, lane, changes, cancellationToken);
            await WriteLaneAsync(c, tx, lane, changes, cancellationToken);
            claimed.Add(lane);
        }
        await tx.CommitAsync(cancellationToken);
        foreach (var lane in claimed) Advance(lane, changes.LastSequence);
    }

    /// <summary>One lane in a transaction of its own.</summary>
    private async Task ApplyLaneAsync(HistoryLane lane, HistoryChanges changes, CancellationToken ct)
    {
        if (Holds(lane, changes)) return;
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await ClaimLaneAsync(c, tx, lane, changes, ct);
        await WriteLaneAsync(c, tx, lane, changes, ct);
        await tx.CommitAsync(ct);
        Advance(lane, changes.LastSequence);
    }

    /// <summary>Whether <paramref name="lane"/> already holds the whole run (a crash left it ahead of the other lane): it skips it.</summary>
    private bool Holds(HistoryLane lane, HistoryChanges changes) => changes.LastSequence <= LaneSequence(lane);

    /// <summary>
    /// Moves the lane's row to the run's last sequence, first in its transaction: in PostgreSQL that row lock serialises
    /// two writers (a rebuild racing a projector), and the check refuses a run that does not start right after the
    /// stored sequence.
    /// </summary>
    private static async Task ClaimLaneAsync(DbConnection c, DbTransaction tx, HistoryLane lane, HistoryChanges changes, CancellationToken ct)
    {
        await using var guard = Command(c, tx, "UPDATE projector_state SET sequence = @last WHERE id = @lane AND sequence = @expected");
        Add(guard, "@last", changes.LastSequence);
        Add(guard, "@lane", (int)lane);
        Add(guard, "@expected", changes.FirstSequence - 1);
        if (await guard.ExecuteNonQueryAsync(ct) == 1) return;
        await using var stored = Command(c, tx, "SELECT sequence FROM projector_state WHERE id = @lane");
        Add(stored, "@lane", (int)lane);
        throw new HistorySequenceException(changes.FirstSequence, Convert.ToInt64(await stored.ExecuteScalarAsync(ct) ?? 0L));
    }

    private async Task WriteLaneAsync(DbConnection c, DbTransaction tx, HistoryLane lane, HistoryChanges changes, CancellationToken ct)
    {
        if (lane == HistoryLane.Trades)
        {
            if (changes.Reopened.Count > 0)
            {
                await using var del = Command(c, tx, $"DELETE FROM deals WHERE ticket IN ({string.Join(",", changes.Reopened)})");
                await del.ExecuteNonQueryAsync(ct);
            }
            await WriteTradesAsync(c, tx, changes, ct);
            await WriteAccountsAsync(c, tx, changes, ct);
            await WriteEndOfDayAsync(c, tx, changes, ct);
            return;
        }
        await WriteLedgerAsync(c, tx, changes, ct);
        await WriteAuditAsync(c, tx, changes, ct);
        await WriteChartsAsync(c, tx, changes, ct);
        await WriteTicksAsync(c, tx, changes, ct);
    }

    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        // Side-channel audit rows (negative sequence: sign-ins, refusals, start/stop) are not in the journal: a rebuild keeps them.
        foreach (var t in Tables) await ExecAsync(c, tx, t == "audit_log" ? "DELETE FROM audit_log WHERE sequence > 0" : $"DELETE FROM {t}", cancellationToken);
        await ExecAsync(c, tx, "UPDATE projector_state SET sequence = 0 WHERE id IN (1, 2)", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        lock (_waitLock)
        {
            Array.Clear(_lanes);
            Volatile.Write(ref _applied, 0);
        }
    }

    // ---- small-volume tables: parameterised multi-row statements, the same SQL on both providers ----

    private static Task WriteAccountsAsync(DbConnection c, DbTransaction tx, HistoryChanges ch, CancellationToken ct) =>
        InsertRowsAsync(c, tx, "accounts", "login, grp, currency, leverage, deleted, sequence",
            ch.Accounts.Select(a => new object?[] { a.Login, a.Group, a.Currency, a.Leverage, a.Deleted, a.Sequence }).ToList(),
            // Only a real change moves the row (and its sequence): the sequence is then the one that set the current
            // values however the batches were folded into transactions, so a rebuild gives the live projection's rows.
            "ON CONFLICT (login) DO UPDATE SET grp = excluded.grp, currency = excluded.currency, leverage = excluded.leverage, deleted = excluded.deleted, sequence = excluded.sequence " +
            "WHERE accounts.grp <> excluded.grp OR accounts.currency <> excluded.currency OR accounts.leverage <> excluded.leverage OR accounts.deleted <> excluded.deleted", ct);

    private static Task WriteEndOfDayAsync(DbConnection c, DbTransaction tx, HistoryChanges ch, CancellationToken ct) =>
        InsertRowsAsync(c, tx, "end_of_day", "day, login, rollover_time, month_end, currency, balance, credit, equity, margin, free_margin, profit, sequence",
            ch.EndOfDay.Select(e => new object?[] { e.Day, e.Login, e.RolloverTime, e.MonthEnd, e.Currency, e.Balance, e.Credit, e.Equity, e.Margin, e.FreeMargin, e.Profit, e.Sequence }).ToList(),
            "", ct);

    /// <summary>Audit rows of journaled commands (<see cref="AuditColumns"/>): one per manager command, so each provider bulk-writes them.</summary>
    protected abstract Task WriteAuditAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct);

    protected const string CandleColumns = "symbol, timeframe, time, open, high, low, close, ticks";

    private string? _candleMerge;

    /// <summary>How a candle of ticks merges into the stored one of its period: the wider range, the later close, the ticks added.</summary>
    protected string CandleMerge => _candleMerge ??=
        $"ON CONFLICT (symbol, timeframe, time) DO UPDATE SET high = {Greatest}(candles.high, excluded.high), low = {Least}(candles.low, excluded.low), close = excluded.close, ticks = candles.ticks + excluded.ticks";

    /// <summary>Candles of ticks (<see cref="CandleColumns"/>), each merged into its period's stored candle (<see cref="CandleMerge"/>).</summary>
    protected virtual Task MergeTickCandlesAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<Candle> candles, CancellationToken ct) =>
        InsertRowsAsync(c, tx, "candles", CandleColumns,
            candles.Select(k => new object?[] { k.Symbol, k.Timeframe, k.Time, k.Open, k.High, k.Low, k.Close, k.Ticks }).ToList(), CandleMerge, ct);

    /// <summary>Multi-row INSERT in chunks that stay under both providers' parameter limits.</summary>
    protected static async Task InsertRowsAsync(DbConnection c, DbTransaction tx, string table, string columns, IReadOnlyList<object?[]> rows,
        string conflict, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var width = rows[0].Length;
        // ~256 parameters a statement, not thousands: Microsoft.Data.Sqlite binds every parameter by name and SQLite finds
        // a name by a linear scan (sqlite3_bind_parameter_index), so binding one statement costs its parameter count squared.
        // At 4000 a statement that scan (strncmp) was a third of the whole server's CPU under round-trip load.
        var chunk = Math.Max(1, 256 / width);
        for (int start = 0; start < rows.Count; start += chunk)
        {
            var end = Math.Min(rows.Count, start + chunk);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var sql = new StringBuilder($"INSERT INTO {table} ({columns}) VALUES ");
            for (int r = start; r < end; r++)
            {
                sql.Append(r == start ? "(" : ",(");
                for (int col = 0; col < width; col++)
                {
                    var name = $"@p{(r - start) * width + col}";
                    sql.Append(col == 0 ? name : "," + name);
                    Add(cmd, name, rows[r][col]);
                }
                sql.Append(')');
            }
            sql.Append(' ').Append(conflict);
            cmd.CommandText = sql.ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    // ---- reads ----

    public async Task<HistoryPage<TradeRecord>> GetTradesAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = c.CreateCommand();
        var where = await TradeFilterAsync(c, cmd, query, cancellationToken);
        if (where is null) return new HistoryPage<TradeRecord>([], null);
        var dir = query.NewestFirst ? "DESC" : "ASC";
        var cursor = CursorFilter(cmd, query, "close_time", "ticket");
        var parts = TradeTables(query).Select(t =>
            $"SELECT {TradeColumns.List} FROM {t} WHERE {where}{cursor} ORDER BY close_time {dir}, ticket {dir} LIMIT @take");
        var take = (long)Math.Max(0, query.Limit) + query.Offset;
        Add(cmd, "@take", take);
        Add(cmd, "@limit", Math.Max(0, query.Limit));
        Add(cmd, "@offset", query.Offset);
        cmd.CommandText = $"SELECT * FROM ({string.Join(" UNION ALL ", parts.Select(p => $"SELECT * FROM ({p}) AS q"))}) AS u " +
            $"ORDER BY close_time {dir}, ticket {dir} LIMIT @limit OFFSET @offset";
        var rows = new List<TradeRecord>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken)) rows.Add(TradeColumns.Read(r));
        }
        return new HistoryPage<TradeRecord>(rows, NextCursor(rows, query, t => new HistoryCursor(t.CloseTime, t.Ticket)));
    }

    public async Task<long> CountTradesAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = c.CreateCommand();
        var where = await TradeFilterAsync(c, cmd, query, cancellationToken);
        if (where is null) return 0;
        var cursor = CursorFilter(cmd, query, "close_time", "ticket");
        cmd.CommandText = "SELECT " + string.Join(" + ", TradeTables(query).Select(t => $"(SELECT COUNT(*) FROM {t} WHERE {where}{cursor})"));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<HistoryPage<LedgerEntry>> GetLedgerAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = c.CreateCommand();
        var who = await LoginFilterAsync(c, cmd, query, cancellationToken);
        if (who is null) return new HistoryPage<LedgerEntry>([], null);
        var dir = query.NewestFirst ? "DESC" : "ASC";
        Add(cmd, "@from", query.From);
        Add(cmd, "@to", query.To);
        Add(cmd, "@limit", Math.Max(0, query.Limit));
        Add(cmd, "@offset", query.Offset);
        cmd.CommandText = $"SELECT {LedgerColumns.List} FROM ledger WHERE time >= @from AND time <= @to{who}{CursorFilter(cmd, query, "time", "id")} " +
            $"ORDER BY time {dir}, id {dir} LIMIT @limit OFFSET @offset";
        var rows = new List<LedgerEntry>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken)) rows.Add(LedgerColumns.Read(r));
        }
        return new HistoryPage<LedgerEntry>(rows, NextCursor(rows, query, e => new HistoryCursor(e.Time, e.Id)));
    }

    public async Task<TradeRecord?> FindTradeAsync(long ticket, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        foreach (var table in TradeTableNames)
        {
            await using var cmd = Command(c, null, $"SELECT {TradeColumns.List} FROM {table} WHERE ticket = @t");
            Add(cmd, "@t", ticket);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            if (await r.ReadAsync(cancellationToken)) return TradeColumns.Read(r);
        }
        return null;
    }

    public async Task<LedgerEntry?> FindLedgerEntryAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, $"SELECT {LedgerColumns.List} FROM ledger WHERE id = @id");
        Add(cmd, "@id", id);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? LedgerColumns.Read(r) : null;
    }

    public async Task<IReadOnlyList<EndOfDayRow>> GetEndOfDayAsync(long? login, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT day, login, rollover_time, month_end, currency, balance, credit, equity, margin, free_margin, profit, sequence " +
            "FROM end_of_day WHERE day >= @from AND day <= @to" + (login is null ? "" : " AND login = @login") + " ORDER BY day, login");
        Add(cmd, "@from", from);
        Add(cmd, "@to", to);
        if (login is not null) Add(cmd, "@login", login.Value);
        var rows = new List<EndOfDayRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new EndOfDayRow(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetInt64(2), r.GetBoolean(3), r.GetString(4), r.GetDecimal(5),
                r.GetDecimal(6), r.GetDecimal(7), r.GetDecimal(8), r.GetDecimal(9), r.GetDecimal(10), r.GetInt64(11)));
        }
        return rows;
    }

    public async Task<IReadOnlyList<AuditRow>> GetAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT sequence, time, actor, source, command, payload, after FROM audit_log WHERE sequence > @after ORDER BY sequence LIMIT @limit");
        Add(cmd, "@after", afterSequence);
        Add(cmd, "@limit", limit);
        var rows = new List<AuditRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6)));
        }
        return rows;
    }

    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int timeframe, long from, long to, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT symbol, timeframe, time, open, high, low, close, ticks FROM candles " +
            "WHERE symbol = @s AND timeframe = @tf AND time >= @from AND time <= @to ORDER BY time");
        Add(cmd, "@s", symbol);
        Add(cmd, "@tf", timeframe);
        Add(cmd, "@from", from);
        Add(cmd, "@to", to);
        var rows = new List<Candle>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new Candle(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4), r.GetDecimal(5), r.GetDecimal(6), r.GetInt64(7)));
        }
        return rows;
    }

    public async Task<HistoryAccount?> FindAccountAsync(long login, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT login, grp, currency, leverage, deleted, sequence FROM accounts WHERE login = @l");
        Add(cmd, "@l", login);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? new HistoryAccount(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetBoolean(4), r.GetInt64(5))
            : null;
    }

    private static IEnumerable<string> TradeTables(HistoryQuery q)
    {
        if ((q.Kinds & (HistoryKinds.Deals | HistoryKinds.Finance)) != 0) yield return "deals";
        if ((q.Kinds & HistoryKinds.Orders) != 0) yield return "orders";
    }

    /// <summary>The WHERE clause shared by every trade table, or null when the mask matches no group at all.</summary>
    private static async Task<string?> TradeFilterAsync(DbConnection c, DbCommand cmd, HistoryQuery q, CancellationToken ct)
    {
        var who = await LoginFilterAsync(c, cmd, q, ct);
        if (who is null || !TradeTables(q).Any()) return null;
        Add(cmd, "@from", q.From);
        Add(cmd, "@to", q.To);
        var sql = new StringBuilder("close_time >= @from AND close_time <= @to").Append(who);
        var dealKinds = q.Kinds & (HistoryKinds.Deals | HistoryKinds.Finance);
        // The orders table only holds kind 2, so a kind test there is always true; the deals table splits 1 and 4.
        if (dealKinds is HistoryKinds.Deals) sql.Append(" AND kind <> 4");
        else if (dealKinds is HistoryKinds.Finance) sql.Append(" AND kind <> 1");
        // A cancelled order's state *is* Deleted; only deleted deals and finance records are hidden by default.
        if (!q.IncludeDeleted) sql.Append($" AND (kind = 2 OR state <> {(int)TradeState.Deleted})");
        return sql.ToString();
    }

    /// <summary>" AND login …" for the query's login or group mask; "" for every login; null when nothing can match.</summary>
    private static async Task<string?> LoginFilterAsync(DbConnection c, DbCommand cmd, HistoryQuery q, CancellationToken ct)
    {
        var sql = "";
        if (q.Login is { } login)
        {
            Add(cmd, "@login", login);
            sql = " AND login = @login";
        }
        if (q.Mask.Text == "*") return sql;
        var groups = new List<string>();
        await using (var g = Command(c, null, "SELECT DISTINCT grp FROM accounts"))
        await using (var r = await g.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var name = r.GetString(0);
                if (q.Mask.Matches(name)) groups.Add(name);
            }
        }
        if (groups.Count == 0) return null;
        var names = new List<string>();
        for (int i = 0; i < groups.Count; i++)
        {
            Add(cmd, $"@g{i}", groups[i]);
            names.Add($"@g{i}");
        }
        return sql + $" AND login IN (SELECT login FROM accounts WHERE grp IN ({string.Join(",", names)}))";
    }

    private static string CursorFilter(DbCommand cmd, HistoryQuery q, string timeColumn, string idColumn)
    {
        if (q.After is not { } after) return "";
        Add(cmd, "@ct", after.Time);
        Add(cmd, "@cid", after.Id);
        return $" AND ({timeColumn}, {idColumn}) {(q.NewestFirst ? "<" : ">")} (@ct, @cid)";
    }

    private static HistoryCursor? NextCursor<T>(List<T> rows, HistoryQuery q, Func<T, HistoryCursor> key) =>
        rows.Count > 0 && rows.Count == q.Limit ? key(rows[^1]) : null;

    // ---- read-your-writes ----

    public ValueTask WaitForAsync(long sequence, CancellationToken cancellationToken = default)
    {
        if (AppliedSequence >= sequence) return ValueTask.CompletedTask;
        TaskCompletionSource done;
        TaskCompletionSource? arrival;
        lock (_waitLock)
        {
            if (AppliedSequence >= sequence) return ValueTask.CompletedTask;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, done));
            arrival = _readerArrival;
            _readerArrival = null;
        }
        arrival?.TrySetResult();
        return new ValueTask(done.Task.WaitAsync(cancellationToken));
    }

    private long LaneSequence(HistoryLane lane)
    {
        lock (_waitLock) return _lanes[(int)lane - 1];
    }

    /// <summary>Records that <paramref name="lane"/> holds up to <paramref name="sequence"/>, and releases the readers the lower lane now covers.</summary>
    private void Advance(HistoryLane lane, long sequence)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_waitLock)
        {
            ref var stored = ref _lanes[(int)lane - 1];
            stored = Math.Max(stored, sequence);
            sequence = Math.Min(_lanes[0], _lanes[1]);
            if (sequence <= _applied) return;
            Volatile.Write(ref _applied, sequence);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Sequence > sequence) continue;
                (ready ??= new()).Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        if (ready is not null) foreach (var d in ready) d.TrySetResult();
    }

    // ---- ADO.NET helpers ----

    protected static DbCommand Command(DbConnection c, DbTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    protected static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    protected static async Task ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public virtual ValueTask DisposeAsync()
    {
        lock (_waitLock)
        {
            foreach (var (_, done) in _waiters) done.TrySetCanceled();
            _waiters.Clear();
        }
        _ledgerThread?.Dispose();
        return ValueTask.CompletedTask;
    }
}
