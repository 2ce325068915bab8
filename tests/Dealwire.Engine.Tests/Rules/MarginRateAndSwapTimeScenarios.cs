using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>
/// Issue #15: a position keeps the rate its margin was converted at (<c>margin_rate</c>) and the last rollover that
/// booked swap on it (<c>last_swap_time</c>); both survive a snapshot and a journal replay with the same state hash.
/// </summary>
public class MarginRateAndSwapTimeScenarios
{
    private const long Hour = 3_600_000;
    private static readonly long Monday = EngineHarness.Monday10 - 10 * Hour;

    private static long Day(int n) => Monday + n * 24 * Hour;

    private static EngineHarness WithSwaps()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with
        {
            SwapEnabled = true, SwapType = SwapType.Points, SwapLong = -5m, SwapShort = 0m,
        }));
        return h;
    }

    private static void AdvanceTo(EngineHarness h, long time)
    {
        h.Time = time;
        h.Ok(new AdvanceTime());
    }

    [Fact]
    public void A_position_keeps_the_rate_its_margin_was_converted_at()
    {
        var h = WithSwaps();
        var login = h.Account(10_000m); // a USD account: EURUSD's margin is in EUR
        var buy = h.Buy(login, "EURUSD", 100);
        var record = h.Trade(buy.Ticket)!;

        Assert.InRange(record.MarginRate, 1.09m, 1.11m);
        // 1 lot = 100 000 EUR at 1:100 = 1 000 EUR of margin, converted at the kept rate.
        Assert.Equal(Math.Round(1_000m * record.MarginRate, 2), record.MarginInitial);

        h.Tick("EURUSD", 1.20000m, 1.20002m);
        Assert.Equal(record.MarginRate, h.Trade(buy.Ticket)!.MarginRate); // the rate at open, not today's
        var closed = h.Ok(new ClosePosition(login, buy.Ticket));
        Assert.Equal(record.MarginRate, h.Trade(closed.Ticket)!.MarginRate);
    }

    [Fact]
    public void Last_swap_time_is_the_last_rollover_that_booked_swap()
    {
        var h = WithSwaps();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        var sell = h.Sell(login, "EURUSD", 100); // swap_short 0: never booked
        Assert.Equal(0, h.Trade(buy.Ticket)!.LastSwapTime);

        AdvanceTo(h, Day(1) + 1); // Tuesday 00:00 books Monday's night
        Assert.Equal(Day(1), h.Trade(buy.Ticket)!.LastSwapTime);

        AdvanceTo(h, Day(7) + 1); // next Monday: Friday's night at Saturday 00:00 was the last; the weekend is free
        Assert.Equal(Day(5), h.Trade(buy.Ticket)!.LastSwapTime);
        Assert.Equal(0, h.Trade(sell.Ticket)!.LastSwapTime);
    }

    [Fact]
    public void Both_survive_snapshot_restore_and_journal_replay_with_the_same_hash()
    {
        var h = WithSwaps();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        AdvanceTo(h, Day(1) + 1);

        var kept = h.AssertSnapshotRestoresTheHash().GetTrade(buy.Ticket)!;
        Assert.Equal(h.Trade(buy.Ticket)!.MarginRate, kept.MarginRate);
        Assert.Equal(Day(1), kept.LastSwapTime);
        h.AssertReplayReproducesTheHash();
    }
}
