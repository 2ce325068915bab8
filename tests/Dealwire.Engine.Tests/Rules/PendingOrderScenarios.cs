using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>Pending orders: activation on the right side of the spread, stop-limit, margin at activation, expiration.</summary>
public class PendingOrderScenarios
{
    private static TradeRecord Place(EngineHarness h, long login, TradeCommand type, decimal price, int volume = 100, decimal stopLimit = 0, decimal sl = 0, decimal tp = 0) =>
        h.Ok(new PlacePendingOrder(login, "EURUSD", type, volume, price) { StopLimitPrice = stopLimit, StopLoss = sl, TakeProfit = tp });

    [Fact]
    public void A_buy_limit_triggers_on_the_ask_and_fills_at_the_market_price_of_that_tick()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.BuyLimit, 1.09900m);

        h.Tick("EURUSD", 1.09880m, 1.09910m); // the bid is below 1.09900 but the ask (what a buy pays) is not: waits
        Assert.True(h.Trade(order.Ticket)!.IsPendingOrder);

        h.Tick("EURUSD", 1.09880m, 1.09895m); // ask 1.09895 ≤ 1.09900: activates, gapped through to 1.09895
        var position = h.Trade(order.Ticket)!;
        Assert.Equal(TradeCommand.Buy, position.Command);
        Assert.True(position.IsOpenPosition);
        Assert.Equal(1.09895m, position.OpenPrice);
        Assert.Equal(Activation.Pending, position.Activation);
        Assert.Contains(h.Events.OfType<TradeEvent>(), e => e.Change == RecordChange.ActivateTrade && e.Trade.Ticket == order.Ticket);
        Assert.Empty(h.Engine.GetPendingOrders(login));
        // Margin 1 000 EUR × bid 1.09880 = 1 098.80; floating (1.09880 − 1.09895) × 100 000 = −15.00.
        Assert.Equal(1_098.80m, h.Margin(login).Margin);
        Assert.Equal(-15.00m, h.Margin(login).Profit);
    }

    [Fact]
    public void A_sell_limit_triggers_on_the_bid_not_on_the_ask()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.SellLimit, 1.10100m);
        h.Tick("EURUSD", 1.10095m, 1.10105m); // ask above 1.10100, bid (what a sell gets) below: waits
        Assert.True(h.Trade(order.Ticket)!.IsPendingOrder);
        h.Tick("EURUSD", 1.10100m, 1.10103m); // bid touches 1.10100: fills exactly there
        var position = h.Trade(order.Ticket)!;
        Assert.Equal(TradeCommand.Sell, position.Command);
        Assert.Equal(1.10100m, position.OpenPrice);
    }

    [Fact]
    public void Stops_fill_at_the_market_when_the_price_gaps_through_them()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var buyStop = Place(h, login, TradeCommand.BuyStop, 1.10100m);
        var sellStop = Place(h, login, TradeCommand.SellStop, 1.09900m);
        h.Tick("EURUSD", 1.10150m, 1.10152m); // ask jumps from 1.10002 past 1.10100: filled at 1.10152 (50 points slippage)
        Assert.Equal(1.10152m, h.Trade(buyStop.Ticket)!.OpenPrice);
        Assert.True(h.Trade(sellStop.Ticket)!.IsPendingOrder);
        h.Tick("EURUSD", 1.09900m, 1.09902m); // bid reaches the sell stop exactly
        Assert.Equal(1.09900m, h.Trade(sellStop.Ticket)!.OpenPrice);
        Assert.Equal(TradeCommand.Sell, h.Trade(sellStop.Ticket)!.Command);
    }

    [Fact]
    public void A_stop_limit_places_a_limit_order_when_its_stop_is_reached()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.BuyStopLimit, 1.10100m, stopLimit: 1.10050m);

        h.Tick("EURUSD", 1.10100m, 1.10102m); // ask 1.10102 ≥ stop 1.10100: becomes a buy limit at 1.10050, same ticket
        var limit = h.Trade(order.Ticket)!;
        Assert.Equal(TradeCommand.BuyLimit, limit.Command);
        Assert.Equal(1.10050m, limit.OpenPrice);
        Assert.True(limit.IsPendingOrder);
        Assert.Contains(h.Events.OfType<TradeEvent>(), e => e.Change == RecordChange.ActivateTrade && e.Trade.Command == TradeCommand.BuyLimit);

        h.Tick("EURUSD", 1.10060m, 1.10062m); // ask 1.10062 still above the limit: waits
        Assert.True(h.Trade(order.Ticket)!.IsPendingOrder);
        h.Tick("EURUSD", 1.10046m, 1.10048m); // ask 1.10048 ≤ 1.10050: bought at 1.10048
        var position = h.Trade(order.Ticket)!;
        Assert.Equal(TradeCommand.Buy, position.Command);
        Assert.Equal(1.10048m, position.OpenPrice);
    }

    [Fact]
    public void A_sell_stop_limit_whose_limit_is_already_reachable_fills_on_the_same_tick()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.SellStopLimit, 1.09900m, stopLimit: 1.09950m);
        // bid 1.09890 ≤ stop 1.09900 → sell limit at 1.09950; bid 1.09890 < 1.09950 so not yet filled (a sell limit needs bid ≥ 1.09950).
        h.Tick("EURUSD", 1.09890m, 1.09892m);
        Assert.Equal(TradeCommand.SellLimit, h.Trade(order.Ticket)!.Command);
        h.Tick("EURUSD", 1.09960m, 1.09962m); // bid 1.09960 ≥ 1.09950: sold at 1.09960
        Assert.Equal(1.09960m, h.Trade(order.Ticket)!.OpenPrice);
    }

    [Fact]
    public void Stop_loss_and_take_profit_of_an_order_are_carried_to_its_position()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.BuyLimit, 1.09900m, sl: 1.09800m, tp: 1.10000m);
        h.Tick("EURUSD", 1.09898m, 1.09900m); // fills at 1.09900
        var position = h.Trade(order.Ticket)!;
        Assert.Equal(1.09800m, position.StopLoss);
        Assert.Equal(1.10000m, position.TakeProfit);
        h.Tick("EURUSD", 1.10000m, 1.10002m); // bid reaches the TP: (1.10000 − 1.09900) × 100 000 = 100.00
        var closed = h.Trade(order.Ticket)!;
        Assert.Equal(Activation.TakeProfit, closed.Activation);
        Assert.Equal(100.00m, closed.Profit);
    }

    [Fact]
    public void An_activation_without_margin_is_refused_recorded_and_reported()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var order = Place(h, login, TradeCommand.BuyLimit, 1.09900m); // 1 lot would need 1 098.90 of margin
        h.Tick("EURUSD", 1.09890m, 1.09900m);
        var rejected = Assert.Single(h.Events.OfType<ActivationRejectedEvent>());
        Assert.Equal(ReturnCode.TradeNoMoney, rejected.Code);
        Assert.Equal(order.Ticket, rejected.Order.Ticket);
        var record = h.Trade(order.Ticket)!;
        Assert.Equal(TradeState.Deleted, record.State);
        Assert.Equal(Activation.Pending, record.Activation);
        Assert.Empty(h.Engine.GetPendingOrders(login));
        Assert.Empty(h.Engine.GetPositions(login));
        Assert.Equal(1_000m, h.Margin(login).Balance);
    }

    [Fact]
    public void A_netting_account_fills_an_order_into_its_one_position()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m, "demo-netting");
        var position = h.Buy(login, "EURUSD", 100); // long 1.00 at 1.10002
        var order = Place(h, login, TradeCommand.BuyLimit, 1.09900m);
        h.Tick("EURUSD", 1.09898m, 1.09900m);
        // Increase: (1.10002 + 1.09900) / 2 = 1.09951 on 2.00 lots, still the first ticket.
        var merged = Assert.Single(h.Engine.GetPositions(login));
        Assert.Equal(position.Ticket, merged.Ticket);
        Assert.Equal(200, merged.Volume);
        Assert.Equal(1.09951m, merged.OpenPrice);
        var filled = h.Trade(order.Ticket)!;
        Assert.Equal(TradeState.ClosedNormal, filled.State);
        Assert.Equal(Activation.Pending, filled.Activation);
    }

    [Fact]
    public void Orders_expire_at_their_time_at_the_end_of_the_day_or_never()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var inOneHour = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m)
        {
            ExpirationMode = ExpirationMode.AtTime, Expiration = EngineHarness.Monday10 + 3_600_000,
        });
        var today = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m) { ExpirationMode = ExpirationMode.EndOfDay });
        var gtc = Place(h, login, TradeCommand.BuyLimit, 1.09000m, volume: 10);

        h.Time = EngineHarness.Monday10 + 3_599_999;
        h.Ok(new AdvanceTime());
        Assert.Equal(3, h.Engine.GetPendingOrders(login).Count());
        h.Time = EngineHarness.Monday10 + 3_600_000; // 11:00: the timed order is due
        h.Tick("EURUSD", 1.10000m, 1.10002m);        // a tick notices it as well as a time command
        Assert.Equal(TradeState.Deleted, h.Trade(inOneHour.Ticket)!.State);
        Assert.Equal(Activation.Expiration, h.Trade(inOneHour.Ticket)!.Activation);

        h.Time = EngineHarness.Monday10 + 14 * 3_600_000 - 1; // Monday 23:59:59.999: the day order lives
        h.Ok(new AdvanceTime());
        Assert.True(h.Trade(today.Ticket)!.IsPendingOrder);
        h.Time += 1;                                          // Tuesday 00:00 UTC
        h.Ok(new AdvanceTime());
        Assert.Equal(Activation.Expiration, h.Trade(today.Ticket)!.Activation);
        Assert.True(h.Trade(gtc.Ticket)!.IsPendingOrder);
        Assert.Equal(ReturnCode.OkNone, h.Apply(new AdvanceTime()).Code); // nothing more to do
    }

    [Fact]
    public void A_modified_order_triggers_at_its_new_price()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.BuyLimit, 1.09000m);
        h.Ok(new ModifyPendingOrder(login, order.Ticket) { Price = 1.09950m });
        h.Tick("EURUSD", 1.09940m, 1.09945m);
        Assert.Equal(1.09945m, h.Trade(order.Ticket)!.OpenPrice);
        Assert.Equal(TradeCommand.Buy, h.Trade(order.Ticket)!.Command);
    }

    [Fact]
    public void A_cancelled_order_never_triggers()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = Place(h, login, TradeCommand.BuyLimit, 1.09900m);
        h.Ok(new CancelPendingOrder(login, order.Ticket));
        h.Tick("EURUSD", 1.09800m, 1.09802m);
        Assert.Empty(h.Engine.GetPositions(login));
        Assert.Equal(Activation.Cancel, h.Trade(order.Ticket)!.Activation);
    }
}
