using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>
/// Time the engine does not wait for a tick to notice: rollover and end of day, expiry, the configurable
/// rollover time, previous-day / previous-month balances. The harness starts Monday 2026-11-16 10:00 UTC.
/// EURUSD: 1 point = 0.00001, 1 lot = 100 000 EUR, so one point on one lot is 1.00 USD; raw quote 1.10000 / 1.10002.
/// </summary>
public class EngineTimeScenarios
{
    private const long Hour = 3_600_000;
    private static readonly long Monday = EngineHarness.Monday10 - 10 * Hour;

    private static long Day(int n) => Monday + n * 24 * Hour;

    private static void LongSwapMinus5Points(EngineHarness h) =>
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with
        {
            SwapEnabled = true, SwapType = SwapType.Points, SwapLong = -5m, SwapShort = 0m,
        }));

    private static void AdvanceTo(EngineHarness h, long time)
    {
        h.Time = time;
        h.Ok(new AdvanceTime());
    }

    private sealed class FixedClock(long now) : IEngineClock
    {
        public long UnixMilliseconds() => now;
    }

    private sealed class RecordingJournal : ICommandJournal
    {
        public readonly List<EngineCommand> Commands = new();

        public void Append(CommitBatch batch)
        {
            lock (Commands) Commands.AddRange(batch.Commands);
            batch.Release();
        }
    }

    [Fact]
    public async Task A_position_closed_just_after_the_rollover_with_no_tick_since_midnight_pays_the_night()
    {
        var h = new EngineHarness();
        LongSwapMinus5Points(h);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100); // 1 lot at the ask 1.10002, Monday 10:00

        // Tuesday 00:00:00.500; the last tick was Monday 10:00. The runner sees the rollover is due and lets
        // time pass (a journaled AdvanceTime) before it applies the close.
        var journal = new RecordingJournal();
        await using var runner = new EngineRunner(h.Engine, journal, new FixedClock(Day(1) + 500));
        runner.AddEventSink(new HistorySink(h.History)); // events are released before the replies
        runner.Start();
        var closed = await runner.SubmitAsync(new ClosePosition(login, buy.Ticket));

        Assert.Equal(ReturnCode.Ok, closed.Code);
        // Monday's night: −5 points × 0.00001 × 100 000 EUR × 1 lot = −5.00 USD.
        Assert.Equal(-5.00m, closed.Value!.Swap);
        // Profit: (1.10000 − 1.10002) × 100 000 = −2.00; balance 10 000 − 2.00 − 5.00 = 9 993.00.
        var margin = await runner.QueryAsync(r => r.GetMargin(login)!);
        Assert.Equal(9_993.00m, margin.Balance);
        Assert.Equal(10_000m, margin.PreviousDayBalance); // Monday ended (at the rollover) before the close
        var ledger = h.History.GetLedger(login, 0, long.MaxValue).ToList();
        Assert.Contains(ledger, l => l.Kind == LedgerKind.Swap && l.Amount == -5.00m);
        Assert.Equal(margin.Balance, ledger.Sum(l => l.Amount));
        // The journal holds the time step before the close, so a replay books the same night.
        Assert.Collection(journal.Commands, c => Assert.IsType<AdvanceTime>(c), c => Assert.IsType<ClosePosition>(c));
    }

    [Fact]
    public async Task The_runner_adds_no_time_step_when_nothing_is_due()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var journal = new RecordingJournal();
        await using var runner = new EngineRunner(h.Engine, journal, new FixedClock(EngineHarness.Monday10 + Hour));
        runner.Start();
        Assert.True((await runner.SubmitAsync(new PostLedger(login, LedgerKind.Deposit, 1m))).IsOk);
        Assert.Equal(ReturnCode.OkNone, (await runner.SubmitAsync(new AdvanceTime())).Code); // nothing due: not journaled
        Assert.IsType<PostLedger>(Assert.Single(journal.Commands));
    }

    [Fact]
    public async Task The_clock_command_alone_expires_an_order_a_day_past_its_expiry()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m)
        {
            ExpirationMode = ExpirationMode.AtTime, Expiration = EngineHarness.Monday10 + Hour,
        });
        var journal = new RecordingJournal();
        await using var runner = new EngineRunner(h.Engine, journal, new FixedClock(Day(1) + 10 * Hour)); // a day later, no tick since
        runner.AddEventSink(new HistorySink(h.History)); // events are released before the replies
        runner.Start();

        Assert.Equal(ReturnCode.Ok, (await runner.SubmitAsync(new AdvanceTime { Actor = AdvanceTime.ClockActor })).Code);
        Assert.Null(await runner.QueryAsync(r => r.GetTrade(order.Ticket)));
        var record = h.History.FindTrade(order.Ticket)!;
        Assert.Equal(TradeState.Deleted, record.State);
        Assert.Equal(Activation.Expiration, record.Activation);
        Assert.Equal(AdvanceTime.ClockActor, Assert.IsType<AdvanceTime>(Assert.Single(journal.Commands)).Actor);
    }

    [Fact]
    public void Engine_time_never_goes_back()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m)
        {
            ExpirationMode = ExpirationMode.AtTime, Expiration = EngineHarness.Monday10 + Hour,
        });
        var now = h.Engine.Now;
        h.Time = now - Hour; // an older stamp is clamped to engine time: nothing due, nothing changes
        Assert.Equal(ReturnCode.OkNone, h.Apply(new AdvanceTime()).Code);
        Assert.Equal(now, h.Engine.Now);
        Assert.Single(h.Engine.GetPendingOrders(login));
    }

    [Fact]
    public void The_rollover_time_is_configurable_and_moving_it_neither_skips_nor_repeats_a_night()
    {
        var h = new EngineHarness();
        LongSwapMinus5Points(h);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        Assert.Equal(TimeSpan.FromHours(22), h.Ok(new SetRolloverTime(TimeSpan.FromHours(22))).RolloverTime);
        Assert.Equal(ReturnCode.OkNone, h.Apply(new SetRolloverTime(TimeSpan.FromHours(22))).Code); // unchanged: not journaled

        AdvanceTo(h, Monday + 21 * Hour + 59 * 60_000); // 21:59: not yet
        Assert.Equal(0m, h.Trade(buy.Ticket)!.Swap);
        AdvanceTo(h, Monday + 22 * Hour); // 22:00 closes Monday: −5.00
        Assert.Equal(-5.00m, h.Trade(buy.Ticket)!.Swap);
        AdvanceTo(h, Day(1) + 1); // Tuesday 00:00: the old time no longer rolls over
        Assert.Equal(-5.00m, h.Trade(buy.Ticket)!.Swap);

        // Back to midnight on Tuesday 10:00: Monday was closed at 22:00, so the next rollover is Wednesday
        // 00:00 closing Tuesday (−5.00), not Tuesday 00:00 again.
        h.Time = Day(1) + 10 * Hour;
        h.Ok(new SetRolloverTime(TimeSpan.Zero));
        AdvanceTo(h, Day(1) + 22 * Hour + 1);
        Assert.Equal(-5.00m, h.Trade(buy.Ticket)!.Swap);
        AdvanceTo(h, Day(2) + 1);
        Assert.Equal(-10.00m, h.Trade(buy.Ticket)!.Swap);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86_400)]
    public void A_rollover_time_outside_the_day_is_refused(int seconds)
    {
        var h = new EngineHarness();
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new SetRolloverTime(TimeSpan.FromSeconds(seconds))));
        Assert.Equal(TimeSpan.Zero, h.Engine.Settings.RolloverTime);
    }

    [Fact]
    public void The_day_end_keeps_the_previous_day_and_month_balances()
    {
        var h = new EngineHarness();
        LongSwapMinus5Points(h);
        var login = h.Account(1_000m);
        h.Buy(login, "EURUSD", 10); // floating −0.20 and swap stay out of the closing balance
        Assert.Equal(0m, h.Margin(login).PreviousDayBalance); // no day has ended since the account was opened

        AdvanceTo(h, Day(1) + 1); // Tuesday 00:00 ends Monday at 1 000.00
        h.Ok(new PostLedger(login, LedgerKind.Deposit, 250m));
        var tuesday = h.Margin(login);
        Assert.Equal(1_250m, tuesday.Balance);
        Assert.Equal(1_000m, tuesday.PreviousDayBalance);
        Assert.Equal(0m, tuesday.PreviousMonthBalance);
        var monday = Assert.Single(h.Events.OfType<EndOfDayEvent>());
        Assert.Equal(new DateOnly(2026, 11, 16), monday.Day);
        Assert.Equal(Day(1), monday.RolloverTime);
        Assert.False(monday.MonthEnd);
        Assert.Equal(1_000m, Assert.Single(monday.Accounts, a => a.Login == login).Balance);

        // Quiet until Thursday 26 November 10:00: each missed day ends in order (Nov 17 … Nov 25), at 1 250.00.
        AdvanceTo(h, Day(10) + 10 * Hour);
        Assert.All(h.Events.OfType<EndOfDayEvent>().Skip(1), d => Assert.Equal(1_250m, Assert.Single(d.Accounts, a => a.Login == login).Balance));
        h.Ok(new PostLedger(login, LedgerKind.Withdrawal, -100m));
        // Tuesday 1 December 00:00 closes Monday 30 November, the last day of the month, at 1 150.00.
        AdvanceTo(h, Day(15) + 1);
        var december = h.Margin(login);
        Assert.Equal(1_150m, december.PreviousDayBalance);
        Assert.Equal(1_150m, december.PreviousMonthBalance);
        var days = h.Events.OfType<EndOfDayEvent>().ToList();
        Assert.Equal(15, days.Count);
        Assert.Equal(new DateOnly(2026, 11, 30), Assert.Single(days, d => d.MonthEnd).Day);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Replay_and_restore_reproduce_the_rollover_time_and_the_closing_balances()
    {
        var h = new EngineHarness();
        LongSwapMinus5Points(h);
        var login = h.Account(1_000m);
        h.Buy(login, "EURUSD", 10);
        h.Ok(new SetRolloverTime(TimeSpan.FromHours(21)));
        AdvanceTo(h, Monday + 21 * Hour + 1);
        h.Ok(new PostLedger(login, LedgerKind.Deposit, 50m));
        AdvanceTo(h, Day(15) + 22 * Hour); // through the month end
        var hash = h.Engine.StateHash();

        var replayed = new TradingEngine();
        foreach (var command in h.Journal) Assert.True(replayed.Execute(command).Code == ReturnCode.Ok, command.GetType().Name);
        Assert.Equal(hash, replayed.StateHash());
        Assert.Equal(TimeSpan.FromHours(21), replayed.Settings.RolloverTime);

        var snapshot = h.Engine.CreateSnapshot();
        var json = System.Text.Json.JsonSerializer.Serialize(snapshot);
        var restored = TradingEngine.Restore(System.Text.Json.JsonSerializer.Deserialize<EngineSnapshot>(json)!);
        Assert.Equal(hash, restored.StateHash());
        Assert.Equal(1_050m, restored.GetMargin(login)!.PreviousDayBalance);
        Assert.Equal(1_050m, restored.GetMargin(login)!.PreviousMonthBalance);
        Assert.Equal(TimeSpan.FromHours(21), restored.Settings.RolloverTime);

        // The closing balances and the rollover time are part of the hash: a different day end is a different state.
        Assert.NotEqual(hash, TradingEngine.Restore(snapshot with { ClosingBalances = [] }).StateHash());
        Assert.NotEqual(hash, TradingEngine.Restore(snapshot with { Settings = snapshot.Settings with { RolloverTime = TimeSpan.Zero } }).StateHash());
    }
}
