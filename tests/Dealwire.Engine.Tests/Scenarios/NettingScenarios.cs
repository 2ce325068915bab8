using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

public class NettingScenarios
{
    [Fact]
    public void A_deal_increases_reduces_closes_and_reverses_the_one_position()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m, "demo-netting");
        var first = h.Buy(login, "EURUSD", 100);            // long 1.00 @ 1.10002
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        var increased = h.Buy(login, "EURUSD", 100);        // + 1.00 @ 1.10102
        Assert.Equal(first.Ticket, increased.Ticket);
        Assert.Equal(200, increased.Volume);
        // Weighted average (1.10002 + 1.10102) / 2 = 1.10052.
        Assert.Equal(1.10052m, increased.OpenPrice);

        var reduced = h.Sell(login, "EURUSD", 50);          // reduce by 0.5 at bid 1.10100
        // (1.10100 − 1.10052) × 50 000 = 24.00 realised.
        Assert.Equal(TradeState.ClosedPart, reduced.State);
        Assert.Equal(24.00m, reduced.Profit);
        Assert.Equal(150, h.Trade(first.Ticket)!.Volume);

        var reversed = h.Sell(login, "EURUSD", 200);        // close 1.5, open short 0.5
        var positions = h.Engine.GetPositions(login).ToList();
        Assert.Single(positions);
        Assert.Equal(TradeCommand.Sell, positions[0].Command);
        Assert.Equal(50, positions[0].Volume);
        Assert.Equal(reversed.Ticket, positions[0].Ticket);
        // The long's remaining 1.5 lots closed at 1.10100: (1.10100 − 1.10052) × 150 000 = 72.00.
        Assert.Equal(72.00m, h.Trade(first.Ticket)!.Profit);
        Assert.Equal(10_000m + 24m + 72m, h.Margin(login).Balance);

        h.Buy(login, "EURUSD", 50);                         // closes the short exactly
        Assert.Empty(h.Engine.GetPositions(login));
        Assert.Equal(0m, h.Margin(login).Margin);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void A_reversal_needs_margin_for_the_remainder()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m, "demo-netting");
        h.Buy(login, "EURUSD", 50); // 550.00 margin
        // Selling 1.50 would leave a 1.00 short needing 1 100.00: more than the equity of ~999.
        Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(new Commands.OpenPosition(login, "EURUSD", TradeCommand.Sell, 150)));
        // Selling 1.30 leaves a 0.80 short needing 880.00: fits.
        h.Sell(login, "EURUSD", 130);
        Assert.Equal(80, Assert.Single(h.Engine.GetPositions(login)).Volume);
    }
}
