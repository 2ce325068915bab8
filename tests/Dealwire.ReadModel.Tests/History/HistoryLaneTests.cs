using System.Diagnostics;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The store's two lanes (deals and orders; the ledger, audit log, candles and ticks), each exactly-once with its own
/// <c>projector_state</c> row. On PostgreSQL they commit on two connections, so a failure can land one and not the
/// other: the projector must then end its next run where the lane ahead stands, and every row must still be stored once.
/// </summary>
public sealed class HistoryLaneTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task When_one_lane_commits_and_the_other_fails_a_restarted_projector_stores_every_row_exactly_once()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.PostgreSql);
        await using var reference = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);
        var engine = new EngineStream();
        var batches = new List<CommittedBatch>();
        new RandomBrokerSession(engine, seed: 2207).Play(steps: 3000, batchEvery: 20, batches.Add);
        var third = batches.Count / 3;
        var early = batches.Take(third).ToList();
        var failed = batches.Skip(third).Take(third).ToList();
        var later = batches.Skip(2 * third).ToList();
        long k = early[^1].LastSequence, n = later[^1].LastSequence, ahead;

        var options = db.Options;
        options.RetryMin = TimeSpan.FromMilliseconds(20);
        options.RetryMax = TimeSpan.FromMilliseconds(100);
        await using (var stream = new CommittedStream(0, new CommittedStreamOptions { RetainSequences = 1_000_000 }))
        await using (var store = HistoryStores.Create(options, db.Directory))
        await using (var projector = new HistoryProjector(store, stream, options, NullLogger<HistoryProjector>.Instance))
        {
            projector.Start();
            foreach (var b in early) stream.OnCommitted(b);
            await UntilAsync(() => store.AppliedSequence == k, "the first third stored");

            // The ledger lane's backend now refuses every ledger row: its transaction rolls back, the trades lane's commits.
            await ExecAsync(db.ConnectionString, """
                CREATE FUNCTION refuse_ledger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ledger lane down'; END $$;
                CREATE TRIGGER refuse_ledger BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION refuse_ledger();
                """);
            foreach (var b in failed) stream.OnCommitted(b);
            await UntilAsync(() => store.LeadingSequence > k && projector.LastError?.Contains("ledger lane down") == true, "the trades lane ahead, the ledger lane failing");
            Assert.Equal(k, store.AppliedSequence);
            ahead = store.LeadingSequence;
        }
        await ExecAsync(db.ConnectionString, "DROP TRIGGER refuse_ledger ON ledger");
        Assert.Equal(new[] { (1L, ahead), (2L, k) }, await LaneRowsAsync(db.ConnectionString));

        // Restarted: the engine recovered to the journal's end (commands committed after the failure, not yet projected,
        // are in it too), and the stream reads what the lower lane lacks from the journal in one batch, which crosses
        // the sequence where the trades lane stands.
        var journaled = later.Take(later.Count / 2).ToList();
        var recovered = journaled[^1].LastSequence;
        Assert.True(k < ahead && ahead < recovered && recovered < n);
        var warnings = new WarningLog();
        await using (var stream = new CommittedStream(recovered, new CommittedStreamOptions { RetainSequences = 1_000_000 }, new JournalOf([.. early, .. failed, .. journaled])))
        await using (var store = HistoryStores.Create(options, db.Directory))
        await using (var projector = new HistoryProjector(store, stream, options, warnings))
        {
            await store.OpenAsync();
            Assert.Equal(k, store.AppliedSequence);
            Assert.Equal(ahead, store.LeadingSequence);
            projector.Start();
            foreach (var b in later.Skip(journaled.Count)) stream.OnCommitted(b);
            await UntilAsync(() => store.AppliedSequence == n, "every lane caught up");
        }
        // Without a failed attempt: a run that started behind the lane ahead would be refused by its row's check once.
        Assert.Empty(warnings.Lines);
        Assert.Equal(new[] { (1L, n), (2L, n) }, await LaneRowsAsync(db.ConnectionString));

        // The same batches written straight to a store that never failed: the same rows.
        await using var expected = reference.OpenStore();
        await expected.OpenAsync();
        foreach (var b in batches) await expected.ApplyAsync(HistoryChanges.From([b]));
        await using var actual = db.OpenStore();
        await actual.OpenAsync();
        var all = new HistoryQuery { Kinds = HistoryKinds.Deals | HistoryKinds.Orders | HistoryKinds.Finance, Limit = int.MaxValue, IncludeDeleted = true };
        Assert.Equal(Keys((await expected.GetTradesAsync(all)).Rows), Keys((await actual.GetTradesAsync(all)).Rows));
        var ledger = new HistoryQuery { Limit = int.MaxValue };
        Assert.Equal((await expected.GetLedgerAsync(ledger)).Rows.Select(e => (e.Id, e.Amount, e.BalanceAfter)),
            (await actual.GetLedgerAsync(ledger)).Rows.Select(e => (e.Id, e.Amount, e.BalanceAfter)));
        Assert.Equal((await expected.GetAuditAsync(0, int.MaxValue)).Select(a => (a.Sequence, a.Command)),
            (await actual.GetAuditAsync(0, int.MaxValue)).Select(a => (a.Sequence, a.Command)));
        // Candles merge (ticks add up): a run applied twice on the ledger lane would double them.
        var candles = await expected.GetCandlesAsync("EURUSD", 1, 0, long.MaxValue);
        Assert.NotEmpty(candles);
        Assert.Equal(candles, await actual.GetCandlesAsync("EURUSD", 1, 0, long.MaxValue));
        foreach (var a in engine.Engine.GetAccounts(GroupMask.All))
        {
            var rows = (await actual.GetLedgerAsync(new HistoryQuery { Login = a.Profile.Login, Limit = int.MaxValue })).Rows;
            Assert.Equal(a.Margin.Balance, rows.Where(e => !e.Kind.TouchesCredit()).Sum(e => e.Amount));
        }
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task A_store_written_before_the_lanes_starts_its_ledger_lane_where_its_one_row_stands(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        var engine = new EngineStream();
        var login = engine.Account(500m);
        var first = engine.Cut()!;
        engine.Ok(new Dealwire.Engine.Commands.PostLedger(login, LedgerKind.Deposit, 25m) { Actor = "manager:7" });
        var second = engine.Cut()!;
        await using (var store = db.OpenStore())
        {
            await store.OpenAsync();
            await store.ApplyAsync(HistoryChanges.From([first]));
        }
        // What an older server left: one row for everything.
        await ExecAsync(db, "DELETE FROM projector_state WHERE id = 2");

        await using var reopened = db.OpenStore();
        await reopened.OpenAsync();
        Assert.Equal(first.LastSequence, reopened.AppliedSequence);
        Assert.Equal(first.LastSequence, reopened.LeadingSequence);
        await reopened.ApplyAsync(HistoryChanges.From([second]));
        Assert.Equal([500m, 25m], (await reopened.GetLedgerAsync(new HistoryQuery { Login = login })).Rows.Select(e => e.Amount));
        Assert.Equal(second.LastSequence, reopened.AppliedSequence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_lane_count_other_than_one_or_two_is_refused_with_its_key(int lanes)
    {
        var options = new HistoryOptions { Provider = HistoryProvider.PostgreSql, ConnectionString = HistoryDatabase.DefaultPostgres, Lanes = lanes };
        var error = Assert.Throws<InvalidOperationException>(() => HistoryStores.Create(options, Path.GetTempPath()));
        Assert.Equal($"History:Lanes must be 1 or 2, not {lanes}.", error.Message);
    }

    /// <summary>The journal's batches, read back as one batch for any range (a backfill chooses its own boundaries).</summary>
    private sealed class JournalOf(IReadOnlyList<CommittedBatch> journal) : IStreamBackfill
    {
        public async IAsyncEnumerable<CommittedBatch> ReadAsync(long afterSequence, long throughSequence,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return Merge([.. journal.Select(b => HistoryProjector.Slice(b, afterSequence, throughSequence)).OfType<CommittedBatch>()]);
        }
    }

    private sealed class WarningLog : ILogger<HistoryProjector>
    {
        public List<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }

    private static IEnumerable<(long, long, TradeState, decimal)> Keys(IEnumerable<TradeRecord> rows) =>
        rows.Select(t => (t.Ticket, t.Login, t.State, t.Profit)).OrderBy(k => k.Ticket).ThenBy(k => k.State);

    private static CommittedBatch Merge(IReadOnlyList<CommittedBatch> run) =>
        new(run[0].FirstSequence, run[^1].LastSequence, run.SelectMany(b => b.Commands).ToList(), run.SelectMany(b => b.Events).ToList());

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    private static async Task<(long, long)[]> LaneRowsAsync(string connectionString)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT id, sequence FROM projector_state ORDER BY id", c);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, long)>();
        while (await r.ReadAsync()) rows.Add((r.GetInt32(0), r.GetInt64(1)));
        return [.. rows];
    }

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task ExecAsync(HistoryDatabase db, string sql)
    {
        if (db.Provider == HistoryProvider.PostgreSql)
        {
            await ExecAsync(db.ConnectionString, sql);
            return;
        }
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection(db.ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
