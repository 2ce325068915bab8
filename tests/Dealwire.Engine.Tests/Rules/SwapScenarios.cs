using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>
/// Swap rollover. The harness starts Monday 2026-11-16 10:00 UTC; the rollover is at 00:00 UTC unless
/// stated. EURUSD: 1 point = 0.00001, 1 lot = 100 000 EUR, so one point on one lot is 1.00 USD.
/// </summary>
public class SwapScenarios
{
    private const long Hour = 3_600_000;
    private static readonly long Monday = EngineHarness.Monday10 - 10 * Hour;

    private static long Day(int n) => Monday + n * 24 * Hour;

    private static void EurUsdSwaps(EngineHarness h, SwapType type, decimal swapLong, decimal swapShort, bool daily = false) =>
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with
        {
            SwapEnabled = true, SwapType = type, SwapLong = swapLong, SwapShort = swapShort, SwapDaily = daily,
        }));

    private static void AdvanceTo(EngineHarness h, long time)
    {
        h.Time = time;
        h.Ok(new AdvanceTime());
    }

    [Fact]
    public void Wednesday_books_a_triple_swap_and_the_weekend_none()
    {
        var h = new EngineHarness();
        EurUsdSwaps(h, SwapType.Points, swapLong: -5m, swapShort: 1m);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        var sell = h.Sell(login, "EURUSD", 100);

        AdvanceTo(h, Day(1) + 1); // Tuesday 00:00: Monday's night, −5 points × 1 lot = −5.00; short +1.00
        Assert.Equal(-5.00m, h.Trade(buy.Ticket)!.Swap);
        Assert.Equal(1.00m, h.Trade(sell.Ticket)!.Swap);

        AdvanceTo(h, Day(3) + 1); // Thursday 00:00: Tuesday −5.00, Wednesday triple −15.00 → −25.00
        Assert.Equal(-25.00m, h.Trade(buy.Ticket)!.Swap);
        Assert.Equal(5.00m, h.Trade(sell.Ticket)!.Swap);

        AdvanceTo(h, Day(7) + 1); // next Monday: Thursday −5, Friday −5, Saturday and Sunday free → −35.00
        Assert.Equal(-35.00m, h.Trade(buy.Ticket)!.Swap);
        Assert.Equal(7.00m, h.Trade(sell.Ticket)!.Swap);

        // Floating swap counts in equity: 10 000 − 2.00 − 2.00 (each leg loses the 2-point spread) − 35 + 7.
        var m = h.Margin(login);
        Assert.Equal(-28.00m, m.Swap);
        Assert.Equal(9_968.00m, m.Equity);

        h.Ok(new ClosePosition(login, buy.Ticket)); // the swap becomes balance at close
        Assert.Contains(h.History.GetLedger(login, 0, long.MaxValue), l => l.Kind == LedgerKind.Swap && l.Amount == -35.00m);
        Assert.Equal(7.00m, h.Margin(login).Swap);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Daily_swaps_charge_every_calendar_day_without_a_triple()
    {
        var h = new EngineHarness();
        EurUsdSwaps(h, SwapType.Points, swapLong: -5m, swapShort: 0m, daily: true);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        AdvanceTo(h, Day(3) + 1); // Monday, Tuesday, Wednesday: 3 × −5.00
        Assert.Equal(-15.00m, h.Trade(buy.Ticket)!.Swap);
        AdvanceTo(h, Day(7) + 1); // + Thursday … Sunday: 4 × −5.00
        Assert.Equal(-35.00m, h.Trade(buy.Ticket)!.Swap);
    }

    [Theory]
    // Money: −2.5 per lot in account currency × 0.5 lot = −1.25.
    [InlineData(SwapType.Money, -2.5, -1.25)]
    // Margin currency: −2 EUR per lot × 0.5 lot = −1 EUR × EURUSD bid 1.10000 = −1.10.
    [InlineData(SwapType.MarginCurrency, -2, -1.10)]
    // Interest on the nominal: 0.5 × 100 000 EUR × −3 % / 360 = −4.1667 EUR × 1.10000 = −4.5833 → −4.58.
    [InlineData(SwapType.Interest, -3, -4.58)]
    // Interest at the open price 1.10002: 0.5 × 100 000 × 1.10002 × −3 % / 360 = −4.58342 → −4.58.
    [InlineData(SwapType.InterestOpenPrice, -3, -4.58)]
    // Interest at the current bid 1.20000 (set below): 50 000 × 1.2 × 2 % / 360 = 3.3333 → 3.33.
    [InlineData(SwapType.InterestCurrentPrice, 2, 3.33)]
    // Points: 7 points × 0.5 lot × 1.00 = 3.50.
    [InlineData(SwapType.Points, 7, 3.50)]
    public void Each_swap_type_books_its_formula(SwapType type, double rate, double expected)
    {
        var h = new EngineHarness();
        EurUsdSwaps(h, type, swapLong: (decimal)rate, swapShort: 0m);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 50);
        if (type == SwapType.InterestCurrentPrice) h.Tick("EURUSD", 1.20000m, 1.20002m);
        if (type is SwapType.MarginCurrency or SwapType.Interest) h.Tick("EURUSD", 1.10000m, 1.10002m);
        AdvanceTo(h, Day(1) + 1);
        Assert.Equal((decimal)expected, h.Trade(buy.Ticket)!.Swap);
    }

    [Fact]
    public void The_group_override_replaces_rates_and_type_and_use_swap_turns_them_off()
    {
        var h = new EngineHarness();
        EurUsdSwaps(h, SwapType.Points, swapLong: -5m, swapShort: 0m);
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "islamic", MarginCall = 100, StopOut = 50, UseSwap = false,
        }));
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "profiled", MarginCall = 100, StopOut = 50,
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", SwapLong = -4m, SwapType = SwapType.Money }],
        }));
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "off", MarginCall = 100, StopOut = 50,
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", SwapEnabled = false }],
        }));
        var islamic = h.Buy(h.Account(10_000m, "islamic"), "EURUSD", 100);
        var profiled = h.Buy(h.Account(10_000m, "profiled"), "EURUSD", 100);
        var off = h.Buy(h.Account(10_000m, "off"), "EURUSD", 100);
        AdvanceTo(h, Day(1) + 1);
        Assert.Equal(0m, h.Trade(islamic.Ticket)!.Swap);
        Assert.Equal(-4.00m, h.Trade(profiled.Ticket)!.Swap); // −4 money per lot × 1 lot
        Assert.Equal(0m, h.Trade(off.Ticket)!.Swap);
    }

    [Fact]
    public void The_rollover_minute_is_noticed_by_the_first_tick_after_it_and_spares_positions_opened_later()
    {
        var h = new EngineHarness(new TradingEngine(new EngineSettings { RolloverTime = TimeSpan.FromHours(21) }));
        EurUsdSwaps(h, SwapType.Points, swapLong: -5m, swapShort: 0m);
        var login = h.Account(10_000m);
        var early = h.Buy(login, "EURUSD", 100);
        h.Time = Monday + 20 * Hour + 59 * 60_000; // 20:59: not yet
        h.Tick("EURUSD", 1.10000m, 1.10002m);
        Assert.Equal(0m, h.Trade(early.Ticket)!.Swap);
        h.Time = Monday + 21 * Hour + 5; // 21:00:00.005: the tick crosses the rollover
        h.Tick("EURUSD", 1.10000m, 1.10002m);
        Assert.Equal(-5.00m, h.Trade(early.Ticket)!.Swap);
        var late = h.Buy(login, "EURUSD", 100); // opened after Monday's rollover
        h.Time = Day(1) + 21 * Hour + 1; // Tuesday's rollover: both pay one night
        h.Tick("EURUSD", 1.10000m, 1.10002m);
        Assert.Equal(-10.00m, h.Trade(early.Ticket)!.Swap);
        Assert.Equal(-5.00m, h.Trade(late.Ticket)!.Swap);
    }

    [Fact]
    public void A_swap_charge_can_stop_an_account_out()
    {
        var h = new EngineHarness();
        EurUsdSwaps(h, SwapType.Money, swapLong: -300m, swapShort: 0m);
        var login = h.Account(1_000m);
        var buy = h.Buy(login, "EURUSD", 80); // margin 880.00; equity 1 000 − 1.60 spread = 998.40 (113 %)
        AdvanceTo(h, Day(1) + 1);
        // −300 × 0.8 lot = −240.00: equity 758.40 / 880 = 86.2 %: margin call, not stop-out.
        Assert.Equal(-240.00m, h.Trade(buy.Ticket)!.Swap);
        Assert.Equal(MarginLevelType.MarginCall, h.Margin(login).LevelType);
        AdvanceTo(h, Day(3) + 1);
        // Tuesday −240, Wednesday triple −720: equity 758.40 − 960 = −201.60 → stop-out closes the position.
        var closed = h.Trade(buy.Ticket)!;
        Assert.Equal(Activation.StopOut, closed.Activation);
        Assert.Equal(-1_200.00m, closed.Swap);
        // Balance 1 000 − 1.60 (profit) − 1 200.00 (swap) = −201.60, kept by the default policy.
        Assert.Equal(-201.60m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }
}
