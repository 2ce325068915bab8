using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

public class ProfitScenarios
{
    [Fact]
    public void Eurusd_buy_closes_at_bid_and_books_the_profit()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var open = h.Buy(login, "EURUSD", 100); // at ask 1.10002
        Assert.Equal(1.10002m, open.OpenPrice);
        h.Tick("EURUSD", 1.10102m, 1.10104m);
        var closed = h.Ok(new ClosePosition(login, open.Ticket));
        // (1.10102 − 1.10002) × 1 lot × 100 000 = 100.00 USD.
        Assert.Equal(1.10102m, closed.ClosePrice);
        Assert.Equal(100.00m, closed.Profit);
        Assert.Equal(TradeState.ClosedNormal, closed.State);
        Assert.Equal(10_100.00m, h.Margin(login).Balance);
        Assert.Equal(0m, h.Margin(login).Margin);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Sell_closes_at_ask()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var open = h.Sell(login, "EURUSD", 50); // at bid 1.10000
        h.Tick("EURUSD", 1.09900m, 1.09902m);
        var closed = h.Ok(new ClosePosition(login, open.Ticket));
        // (1.10000 − 1.09902) × 0.5 lot × 100 000 = 49.00 USD.
        Assert.Equal(49.00m, closed.Profit);
    }

    [Fact]
    public void Usdjpy_profit_converts_through_the_inverse_pair()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var open = h.Buy(login, "USDJPY", 100); // at ask 150.010
        h.Tick("USDJPY", 150.510m, 150.520m);
        // (150.510 − 150.010) × 100 000 = 50 000 JPY; JPY→USD = 1 / ask 150.520 → 332.1817… → 332.18 USD.
        Assert.Equal(332.18m, h.Margin(login).Profit);
        var closed = h.Ok(new ClosePosition(login, open.Ticket));
        Assert.Equal(332.18m, closed.Profit);
        Assert.Equal(10_332.18m, h.Margin(login).Balance);
    }

    [Fact]
    public void Cross_profit_converts_through_the_quote_currency_pair()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var open = h.Buy(login, "EURGBP", 100); // at ask 0.85002
        h.Tick("EURGBP", 0.85102m, 0.85104m);
        // (0.85102 − 0.85002) × 100 000 = 100 GBP; GBP→USD through GBPUSD bid 1.25000 = 125.00 USD.
        Assert.Equal(125.00m, h.Margin(login).Profit);
        h.Tick("GBPUSD", 1.30000m, 1.30002m);
        // A GBPUSD tick re-values the EURGBP position too: 100 × 1.30 = 130.00.
        Assert.Equal(130.00m, h.Margin(login).Profit);
        Assert.Equal(130.00m, h.Ok(new ClosePosition(login, open.Ticket)).Profit);
    }

    [Fact]
    public void Partial_close_cuts_a_linked_history_record_and_keeps_the_rest_open()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var open = h.Buy(login, "EURUSD", 100);
        h.Tick("EURUSD", 1.10102m, 1.10104m);
        var part = h.Ok(new ClosePosition(login, open.Ticket) { Volume = 40 });
        // (1.10102 − 1.10002) × 0.4 lot × 100 000 = 40.00 USD.
        Assert.Equal(TradeState.ClosedPart, part.State);
        Assert.Equal(40, part.Volume);
        Assert.Equal(open.Ticket, part.ParentTicket);
        Assert.NotEqual(open.Ticket, part.Ticket);
        Assert.Equal(40.00m, part.Profit);
        var rest = h.Trade(open.Ticket)!;
        Assert.Equal(60, rest.Volume);
        Assert.Equal(40, rest.ClosedVolume);
        Assert.Equal(10_040.00m, h.Margin(login).Balance);
        // Remaining 0.6 lot floats (1.10102 − 1.10002) × 60 000 = 60.00.
        Assert.Equal(60.00m, h.Margin(login).Profit);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Close_by_opposite_pays_the_spread_once()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);   // 1.10002
        var sell = h.Sell(login, "EURUSD", 100); // 1.10000
        var result = h.Ok(new CloseBy(login, buy.Ticket, sell.Ticket));
        // Both close at the sell's open price 1.10000: buy −2.00, sell 0.00.
        Assert.Equal(-2.00m, result.Profit);
        Assert.Equal(TradeState.ClosedBy, result.State);
        Assert.Empty(h.Engine.GetPositions(login));
        Assert.Equal(9_998.00m, h.Margin(login).Balance);
    }

    [Fact]
    public void Dealer_open_at_a_given_price_and_time()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var t = h.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 100) { Price = 1.09000m, OpenTime = EngineHarness.Monday10 - 60_000, Force = true });
        Assert.Equal(1.09000m, t.OpenPrice);
        Assert.Equal(EngineHarness.Monday10 - 60_000, t.OpenTime);
        // Floating (1.10000 − 1.09000) × 100 000 = 1 000.00.
        Assert.Equal(1_000.00m, h.Margin(login).Profit);
    }
}
