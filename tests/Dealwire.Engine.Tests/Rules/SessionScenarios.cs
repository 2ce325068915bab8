using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>Sessions, holidays and group markups as the triggers see them.</summary>
public class SessionScenarios
{
    private static readonly long MondayNoon = EngineHarness.Monday10 + 2 * 3_600_000;
    private static readonly long TuesdayMidnight = EngineHarness.Monday10 + 14 * 3_600_000;

    private static void HolidayFromMondayNoon(EngineHarness h) =>
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { Holidays = [new DayOff(MondayNoon, TuesdayMidnight, "Bank holiday")] }));

    [Fact]
    public void An_order_is_rejected_on_a_holiday_and_a_pending_order_triggers_on_the_first_tick_after_the_open()
    {
        var h = new EngineHarness();
        HolidayFromMondayNoon(h);
        var login = h.Account(10_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 100, 1.09900m));
        var buy = h.Buy(login, "EURUSD", 10, sl: 1.09950m);

        h.Time = MondayNoon + 60_000;
        Assert.Equal(ReturnCode.TradeMarketClosed, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10)));
        Assert.Equal(ReturnCode.TradeMarketClosed, h.Fails(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m)));
        h.Tick("EURUSD", 1.09850m, 1.09852m); // quotes still flow, but nothing triggers while the market is closed
        Assert.True(h.Trade(order.Ticket)!.IsPendingOrder);
        Assert.True(h.Trade(buy.Ticket)!.IsOpenPosition);

        h.Time = TuesdayMidnight;
        h.Tick("EURUSD", 1.09860m, 1.09862m); // first tick after the open: both fire on this price
        Assert.Equal(1.09862m, h.Trade(order.Ticket)!.OpenPrice);
        var stopped = h.Trade(buy.Ticket)!;
        Assert.Equal(Activation.StopLoss, stopped.Activation);
        Assert.Equal(1.09860m, stopped.ClosePrice);
    }

    [Fact]
    public void Weekly_sessions_keep_triggers_asleep_outside_trading_hours()
    {
        var h = new EngineHarness();
        // Trading 08:00-17:00 every day, quoting all day.
        var day = new DaySessions([SessionInterval.AllDay], [new SessionInterval(8 * 60, 17 * 60)]);
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { Sessions = [day, day, day, day, day, day, day] }));
        var login = h.Account(10_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.SellLimit, 10, 1.10100m));
        h.Time = EngineHarness.Monday10 + 8 * 3_600_000; // 18:00
        h.Tick("EURUSD", 1.10200m, 1.10202m);
        Assert.True(h.Trade(order.Ticket)!.IsPendingOrder);
        h.Time = EngineHarness.Monday10 + 22 * 3_600_000; // Tuesday 08:00
        h.Tick("EURUSD", 1.10150m, 1.10152m);
        Assert.Equal(1.10150m, h.Trade(order.Ticket)!.OpenPrice);
    }

    [Fact]
    public void Triggers_compare_with_the_group_price_after_markups()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "marked", MarginCall = 100, StopOut = 50,
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", AskMarkup = 10, BidMarkup = -10 }], // widen both sides
        }));
        var marked = h.Account(10_000m, "marked");
        var plain = h.Account(10_000m);
        var markedOrder = h.Ok(new PlacePendingOrder(marked, "EURUSD", TradeCommand.BuyLimit, 10, 1.09900m));
        var plainOrder = h.Ok(new PlacePendingOrder(plain, "EURUSD", TradeCommand.BuyLimit, 10, 1.09900m));

        h.Tick("EURUSD", 1.09890m, 1.09895m); // raw ask 1.09895 fills the plain group; the marked group sees 1.09905
        Assert.Equal(1.09895m, h.Trade(plainOrder.Ticket)!.OpenPrice);
        Assert.True(h.Trade(markedOrder.Ticket)!.IsPendingOrder);
        h.Tick("EURUSD", 1.09880m, 1.09888m); // marked ask 1.09888 + 0.00010 = 1.09898 ≤ 1.09900
        Assert.Equal(1.09898m, h.Trade(markedOrder.Ticket)!.OpenPrice);
    }

    [Fact]
    public void A_fixed_spread_group_stops_out_at_its_own_ask()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "fixed", MarginCall = 100, StopOut = 50,
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", FixedSpread = 20 }],
        }));
        var login = h.Account(10_000m, "fixed");
        // Raw 1.10000/1.10002, mid 1.10001 → fixed 20 points: bid 1.10001 − 0.00010 = 1.09991, ask 1.10011. Sold at 1.09991.
        var sell = h.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Sell, 100) { StopLoss = 1.10100m });
        Assert.Equal(1.09991m, sell.OpenPrice);
        h.Tick("EURUSD", 1.10085m, 1.10087m); // raw ask below 1.10100, but the group ask is 1.10086 + 0.00010 = 1.10096: open
        Assert.True(h.Trade(sell.Ticket)!.IsOpenPosition);
        h.Tick("EURUSD", 1.10089m, 1.10091m); // mid 1.10090 → group ask 1.10100: stop loss
        var closed = h.Trade(sell.Ticket)!;
        Assert.Equal(1.10100m, closed.ClosePrice);
        // (1.09991 − 1.10100) × 100 000 = −109.00
        Assert.Equal(-109.00m, closed.Profit);
    }

    [Fact]
    public void Moving_an_account_to_another_group_moves_its_triggers_to_that_groups_prices()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "marked", MarginCall = 100, StopOut = 50,
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", AskMarkup = 10 }],
        }));
        var login = h.Account(10_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09900m));
        h.Ok(new UpdateAccount(h.Engine.GetAccount(login)!.Profile with { Group = "marked" }));
        h.Tick("EURUSD", 1.09890m, 1.09895m); // marked ask 1.09905: waits
        Assert.True(h.Trade(order.Ticket)!.IsPendingOrder);
        h.Tick("EURUSD", 1.09880m, 1.09888m); // marked ask 1.09898
        Assert.Equal(1.09898m, h.Trade(order.Ticket)!.OpenPrice);
    }
}
