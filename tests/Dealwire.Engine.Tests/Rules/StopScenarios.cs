using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>Stop loss, take profit and trailing stops, on the side of the spread a position closes at.</summary>
public class StopScenarios
{
    [Fact]
    public void A_buy_takes_profit_on_the_bid_not_when_the_ask_reaches_the_level()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100, sl: 1.09900m, tp: 1.10200m); // bought at ask 1.10002
        h.Tick("EURUSD", 1.10190m, 1.10210m); // ask above the TP, bid (what a buy closes at) below: stays open
        Assert.True(h.Trade(buy.Ticket)!.IsOpenPosition);
        h.Tick("EURUSD", 1.10200m, 1.10203m); // bid 1.10200 reaches the TP
        var closed = h.Trade(buy.Ticket)!;
        Assert.Equal(Activation.TakeProfit, closed.Activation);
        Assert.Equal(1.10200m, closed.ClosePrice);
        // (1.10200 − 1.10002) × 100 000 = 198.00
        Assert.Equal(198.00m, closed.Profit);
        Assert.Equal(10_198.00m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void A_sell_stops_out_its_loss_on_the_ask()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var sell = h.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Sell, 100) { StopLoss = 1.10100m }); // sold at bid 1.10000
        h.Tick("EURUSD", 1.10095m, 1.10099m); // ask 1.10099 is below the SL: open
        Assert.True(h.Trade(sell.Ticket)!.IsOpenPosition);
        h.Tick("EURUSD", 1.10098m, 1.10102m); // ask 1.10102 ≥ SL 1.10100 (the bid never got there): closes at the ask
        var closed = h.Trade(sell.Ticket)!;
        Assert.Equal(Activation.StopLoss, closed.Activation);
        Assert.Equal(1.10102m, closed.ClosePrice);
        // (1.10000 − 1.10102) × 100 000 = −102.00: two points of slippage past the level
        Assert.Equal(-102.00m, closed.Profit);
    }

    [Fact]
    public void Without_sl_tp_slippage_the_stop_fills_exactly_at_its_level()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "exact", MarginCall = 100, StopOut = 50, SlTpSlippage = false }));
        var login = h.Account(10_000m, "exact");
        var sell = h.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Sell, 100) { StopLoss = 1.10100m });
        h.Tick("EURUSD", 1.10150m, 1.10152m); // gap through the stop
        var closed = h.Trade(sell.Ticket)!;
        Assert.Equal(1.10100m, closed.ClosePrice);
        // (1.10000 − 1.10100) × 100 000 = −100.00: the level, not the market
        Assert.Equal(-100.00m, closed.Profit);
    }

    [Fact]
    public void A_trailing_stop_follows_the_market_server_side_then_triggers()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100); // open 1.10002
        h.Ok(new ModifyPosition(login, buy.Ticket, 0m, 0m) { TrailingDistance = 50 }); // 50 points = 0.00050

        h.Tick("EURUSD", 1.10040m, 1.10042m); // 1.10040 − 0.00050 = 1.09990 < open: not yet in profit by the distance
        Assert.Equal(0m, h.Trade(buy.Ticket)!.StopLoss);
        h.Tick("EURUSD", 1.10060m, 1.10062m); // 1.10060 − 0.00050 = 1.10010 ≥ open: the stop starts trailing
        Assert.Equal(1.10010m, h.Trade(buy.Ticket)!.StopLoss);
        h.Tick("EURUSD", 1.10100m, 1.10102m); // moves up to 1.10050
        Assert.Equal(1.10050m, h.Trade(buy.Ticket)!.StopLoss);
        h.Tick("EURUSD", 1.10080m, 1.10082m); // a trailing stop never moves back
        Assert.Equal(1.10050m, h.Trade(buy.Ticket)!.StopLoss);
        Assert.Equal(3, h.Events.OfType<TradeEvent>().Count(e => e.Trade.Ticket == buy.Ticket && e.Change == RecordChange.Update));

        h.Tick("EURUSD", 1.10049m, 1.10051m); // bid falls through the trailed stop
        var closed = h.Trade(buy.Ticket)!;
        Assert.Equal(Activation.StopLoss, closed.Activation);
        // Closed at bid 1.10049: (1.10049 − 1.10002) × 100 000 = 47.00
        Assert.Equal(47.00m, closed.Profit);
    }

    [Fact]
    public void A_sell_trailing_stop_moves_down_on_the_ask()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var sell = h.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Sell, 100) { StopLoss = 1.10300m }); // open 1.10000
        h.Ok(new ModifyPosition(login, sell.Ticket, 1.10300m, 0m) { TrailingDistance = 100 });
        h.Tick("EURUSD", 1.09880m, 1.09890m); // ask 1.09890 + 0.00100 = 1.09990 ≤ open and below the SL: moves
        Assert.Equal(1.09990m, h.Trade(sell.Ticket)!.StopLoss);
        h.Tick("EURUSD", 1.09988m, 1.09990m); // ask hits 1.09990: closed, (1.10000 − 1.09990) × 100 000 = 10.00
        Assert.Equal(10.00m, h.Trade(sell.Ticket)!.Profit);
        Assert.Equal(Activation.StopLoss, h.Trade(sell.Ticket)!.Activation);
    }

    [Fact]
    public void A_modified_stop_replaces_the_old_level()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100, sl: 1.09900m);
        h.Ok(new ModifyPosition(login, buy.Ticket, 1.09800m, 0m));
        h.Tick("EURUSD", 1.09850m, 1.09852m); // below the old SL, above the new one
        Assert.True(h.Trade(buy.Ticket)!.IsOpenPosition);
        h.Tick("EURUSD", 1.09800m, 1.09802m);
        Assert.Equal(Activation.StopLoss, h.Trade(buy.Ticket)!.Activation);
    }

    [Fact]
    public void A_partially_closed_position_keeps_its_stop_for_the_rest()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100, sl: 1.09900m);
        h.Ok(new ClosePosition(login, buy.Ticket) { Volume = 40 });
        h.Tick("EURUSD", 1.09900m, 1.09902m);
        var rest = h.Trade(buy.Ticket)!;
        Assert.Equal(60, rest.Volume);
        Assert.Equal(Activation.StopLoss, rest.Activation);
        // (1.09900 − 1.10002) × 60 000 = −61.20
        Assert.Equal(-61.20m, rest.Profit);
    }

    [Fact]
    public void Stops_of_many_positions_crossed_by_one_tick_all_close()
    {
        var h = new EngineHarness();
        var login = h.Account(100_000m);
        var tickets = new List<long>();
        for (var i = 0; i < 5; i++) tickets.Add(h.Buy(login, "EURUSD", 10, sl: 1.09900m - i * 0.00010m).Ticket);
        var far = h.Buy(login, "EURUSD", 10, sl: 1.09000m);
        h.Tick("EURUSD", 1.09550m, 1.09552m); // crosses the five stops 1.09900 … 1.09500, not 1.09000
        Assert.All(tickets, t => Assert.Equal(Activation.StopLoss, h.Trade(t)!.Activation));
        Assert.True(h.Trade(far.Ticket)!.IsOpenPosition);
    }
}
