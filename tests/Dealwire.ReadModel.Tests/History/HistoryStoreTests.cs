using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>The history store on both providers (SQLite file, real PostgreSQL), fed with batches from a real engine.</summary>
public sealed class HistoryStoreTests
{
    private static async Task ApplyAsync(IHistoryStore store, CommittedBatch batch) => await store.ApplyAsync(HistoryChanges.From([batch]));

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    [Trait("Category", "Slow")]
    public async Task Balance_and_credit_rebuilt_from_the_ledger_table_equal_every_account_after_a_long_random_session(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        var batches = new List<CommittedBatch>();
        new RandomBrokerSession(stream, seed: 1313).Play(steps: 4000, batchEvery: 25, batches.Add);
        // Several batches per transaction, as the projector folds them.
        foreach (var run in batches.Chunk(7)) await store.ApplyAsync(HistoryChanges.From(run));

        Assert.Equal(stream.Engine.LastSequence, store.AppliedSequence);
        var accounts = stream.Engine.GetAccounts(GroupMask.All).ToList();
        Assert.True(accounts.Count > 20, "the session should open many accounts");
        foreach (var a in accounts)
        {
            var ledger = (await store.GetLedgerAsync(new HistoryQuery { Login = a.Profile.Login, Limit = int.MaxValue })).Rows;
            Assert.Equal(a.Margin.Balance, ledger.Where(e => !e.Kind.TouchesCredit()).Sum(e => e.Amount));
            Assert.Equal(a.Margin.Credit, ledger.Where(e => e.Kind.TouchesCredit()).Sum(e => e.Amount));
        }
        // The money of the closed deals that are not deleted is in the ledger too: every row has a ledger entry for its ticket.
        var deals = (await store.GetTradesAsync(new HistoryQuery { Kinds = HistoryKinds.Deals, Limit = int.MaxValue })).Rows;
        Assert.NotEmpty(deals);
        Assert.All(deals, d => Assert.NotEqual(TradeState.Deleted, d.State));
        Assert.NotEmpty((await store.GetAuditAsync(0, 10)));
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task A_batch_is_stored_once_with_its_sequence_and_a_repeat_is_refused(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        var stream = new EngineStream();
        var login = stream.Account(1000m);
        var setup = stream.Cut()!;
        stream.Ok(new PostLedger(login, LedgerKind.Deposit, 250m) { Actor = "manager:7" });
        var deposit = stream.Cut()!;

        await using (var store = db.OpenStore())
        {
            await store.OpenAsync();
            await ApplyAsync(store, setup);
            await ApplyAsync(store, deposit);
            await Assert.ThrowsAsync<HistorySequenceException>(() => ApplyAsync(store, deposit));
        }
        // A new store object (a restarted server) reads the sequence stored with the rows.
        await using var reopened = db.OpenStore();
        await reopened.OpenAsync();
        Assert.Equal(deposit.LastSequence, reopened.AppliedSequence);
        var ledger = (await reopened.GetLedgerAsync(new HistoryQuery { Login = login })).Rows;
        Assert.Equal([1000m, 250m], ledger.Select(e => e.Amount));
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Paging_by_cursor_and_by_offset_returns_every_row_exactly_once_while_deals_are_written(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        stream.Tick("EURUSD", 1.10000m, 1.10010m);
        var login = stream.Account(1_000_000m);
        void Deals(int n)
        {
            for (var i = 0; i < n; i++)
            {
                var t = stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10));
                stream.Time += 1000;
                stream.Ok(new ClosePosition(login, t.Ticket));
            }
        }
        Deals(300);
        await ApplyAsync(store, stream.Cut()!);
        var before = (await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, Limit = int.MaxValue })).Rows;
        Assert.Equal(300, before.Count);
        var lastClose = before[^1].CloseTime;

        var seenByCursor = new List<long>();
        var seenByOffset = new List<long>();
        HistoryCursor? cursor = null;
        var offset = 0;
        var rangeCount = await store.CountTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, To = lastClose });
        while (true)
        {
            // A writer keeps closing deals between pages.
            Deals(5);
            await ApplyAsync(store, stream.Cut()!);
            var byCursor = await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, Limit = 37, After = cursor });
            seenByCursor.AddRange(byCursor.Rows.Select(t => t.Ticket));
            var byOffset = await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, To = lastClose, Limit = 37, Offset = offset });
            seenByOffset.AddRange(byOffset.Rows.Select(t => t.Ticket));
            offset += byOffset.Rows.Count;
            cursor = byCursor.Next;
            if (cursor is null && byOffset.Rows.Count < 37) break;
        }
        Assert.Equal(seenByCursor.Count, seenByCursor.Distinct().Count());
        Assert.Subset(seenByCursor.ToHashSet(), before.Select(t => t.Ticket).ToHashSet());
        Assert.Equal(before.Select(t => t.Ticket), seenByOffset);
        Assert.Equal(300, rangeCount);
        // The cursor walk reached the live edge: every deal stored before its last page is in it.
        var all = (await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, Limit = int.MaxValue })).Rows;
        Assert.True(seenByCursor.Count >= 300 && all.Take(seenByCursor.Count).Select(t => t.Ticket).SequenceEqual(seenByCursor));
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Ticks_roll_into_bid_candles_with_no_candle_for_a_minute_without_ticks(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        var minute = Timeframes.PeriodStart(stream.Time, Timeframes.H1) + 60_000; // 10:01:00
        await ApplyAsync(store, stream.Cut()!);
        void At(long time, decimal bid) => stream.TickAt(time, bid);
        At(minute + 1_000, 1.10000m);
        At(minute + 20_000, 1.10300m);
        await ApplyAsync(store, stream.Cut()!);
        // Same minute, next batch: the stored candle merges (high kept, low and close move).
        At(minute + 40_000, 1.09900m);
        At(minute + 59_000, 1.10100m);
        // 10:02 has no tick; 10:03 has one.
        At(minute + 120_500, 1.10200m);
        await ApplyAsync(store, stream.Cut()!);

        var m1 = await store.GetCandlesAsync("EURUSD", Timeframes.M1, minute - 3_600_000, minute + 3_600_000);
        Assert.Equal(
            [new Candle("EURUSD", 1, minute, 1.10000m, 1.10300m, 1.09900m, 1.10100m, 4), new Candle("EURUSD", 1, minute + 120_000, 1.10200m, 1.10200m, 1.10200m, 1.10200m, 1)],
            m1);
        var m5 = Assert.Single(await store.GetCandlesAsync("EURUSD", Timeframes.M5, minute - 3_600_000, minute + 3_600_000));
        Assert.Equal(new Candle("EURUSD", 5, minute - 60_000, 1.10000m, 1.10300m, 1.09900m, 1.10200m, 5), m5);
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task End_of_day_figures_and_the_manager_audit_log_are_stored(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        stream.Ok(new AdvanceTime()); // the engine starts counting days at its first time command
        var login = stream.Account(1000m);
        stream.Ok(new PostLedger(login, LedgerKind.CreditIn, 300m) { Actor = "manager:7", Comment = "bonus credit" });
        stream.Time += 24 * 3_600_000L; // past the rollover
        stream.Ok(new AdvanceTime());
        await ApplyAsync(store, stream.Cut()!);

        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(EngineStream.Monday10).UtcDateTime);
        var eod = await store.GetEndOfDayAsync(login, day.AddDays(-1), day.AddDays(2));
        var row = Assert.Single(eod);
        Assert.Equal((1000m, 300m, 1300m, 0m), (row.Balance, row.Credit, row.Equity, row.Margin));

        var audit = (await store.GetAuditAsync(0, 100)).Where(a => a.Actor == "manager:7").ToList();
        var credit = Assert.Single(audit);
        Assert.Equal("ledger.post", credit.Command);
        Assert.Contains("\"Amount\":300", credit.Payload, StringComparison.Ordinal);
        Assert.Contains("bonus credit", credit.After, StringComparison.Ordinal);
        Assert.DoesNotContain(await store.GetAuditAsync(0, 100), a => a.Actor.StartsWith("user:", StringComparison.Ordinal) || a.Command == "tick");
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task A_deleted_deal_is_hidden_unless_asked_for_and_a_reopened_deal_leaves_history(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        stream.Tick("EURUSD", 1.10000m, 1.10010m);
        var login = stream.Account(10_000m);
        var a = stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10));
        var b = stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Sell, 10));
        stream.Ok(new ClosePosition(login, a.Ticket));
        stream.Ok(new ClosePosition(login, b.Ticket));
        await ApplyAsync(store, stream.Cut()!);
        // The engine keeps no closed deals: a manager's command carries the record the gateway read from the store.
        stream.Ok(new DeleteTrade(a.Ticket) { Actor = "admin:1", Closed = await store.FindTradeAsync(a.Ticket) });
        stream.Ok(new RestoreTrade(b.Ticket) { Actor = "admin:1", Closed = await store.FindTradeAsync(b.Ticket) }); // a fully closed deal re-opens as a position
        await ApplyAsync(store, stream.Cut()!);

        Assert.Empty((await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals })).Rows);
        var deleted = Assert.Single((await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, IncludeDeleted = true })).Rows);
        Assert.Equal((a.Ticket, TradeState.Deleted), (deleted.Ticket, deleted.State));
        Assert.Null(await store.FindTradeAsync(b.Ticket));
        // The initial deposit is a finance record; the deal rows are not.
        var finance = Assert.Single((await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Finance })).Rows);
        Assert.Equal(TradeCommand.BalanceIn, finance.Command);
    }
}
