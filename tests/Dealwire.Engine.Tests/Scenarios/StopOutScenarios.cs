using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

public class StopOutScenarios
{
    [Fact]
    public void Stop_out_closes_the_largest_loss_first_and_stops_once_the_level_recovers()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var eur = h.Buy(login, "EURUSD", 50); // margin 500 EUR × 1.1 = 550.00; spread −1.00
        var gbp = h.Buy(login, "GBPUSD", 30); // margin 300 GBP × 1.25 = 375.00; spread −0.60
        Assert.Equal(MarginLevelType.Ok, h.Margin(login).LevelType);

        h.Tick("EURUSD", 1.08500m, 1.08502m);
        // EURUSD loss (1.08500 − 1.10002) × 50 000 = −751.00; margin 500 × 1.085 = 542.50.
        // Equity 1 000 − 751 − 0.60 = 248.40 over margin 917.50 = 27.07 % ≤ 50 %: stop-out.
        // Largest loss (EURUSD) closes: balance 249.00, equity 248.40, margin 375.00 → 66.24 %: above 50 %, stop.
        Assert.Equal(TradeState.ClosedNormal, h.Trade(eur.Ticket)!.State);
        Assert.Equal(Activation.StopOut, h.Trade(eur.Ticket)!.Activation);
        Assert.True(h.Trade(gbp.Ticket)!.IsOpenPosition);
        var m = h.Margin(login);
        Assert.Equal(249.00m, m.Balance);
        Assert.Equal(66.24m, m.MarginLevel);
        Assert.Equal(MarginLevelType.MarginCall, m.LevelType);
        Assert.Contains(h.Events.OfType<NotificationEvent>(), n => n.Notification.Message == "Stop out" && n.Notification.UserId == login);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Margin_call_is_notified_once_per_crossing()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        h.Buy(login, "EURUSD", 80); // margin 880.00
        h.Tick("EURUSD", 1.09900m, 1.09902m); // equity 1000 − 81.6 = 918.4 / 879.2 = 104 %: fine
        h.Tick("EURUSD", 1.09850m, 1.09852m); // equity 878.4 / 878.8 = 99.95 %: margin call
        h.Tick("EURUSD", 1.09840m, 1.09842m); // still in margin call: no second notice
        Assert.Single(h.Events.OfType<NotificationEvent>(), n => n.Notification.Message == "Margin call");
        h.Tick("EURUSD", 1.10500m, 1.10502m); // recovered
        h.Tick("EURUSD", 1.09840m, 1.09842m); // crosses again: a new notice
        Assert.Equal(2, h.Events.OfType<NotificationEvent>().Count(n => n.Notification.Message == "Margin call"));
    }

    [Fact]
    public void Negative_balance_is_compensated_when_the_group_says_so()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "nbp", MarginCall = 100, StopOut = 50, NegativeBalancePolicy = NegativeBalancePolicy.CompensateToZero }));
        var login = h.Account(1_000m, "nbp");
        h.Buy(login, "EURUSD", 90);
        // A gap: (1.08000 − 1.10002) × 90 000 = −1 801.80: balance −801.80 after the stop-out, compensated to 0.
        h.Tick("EURUSD", 1.08000m, 1.08002m);
        Assert.Equal(0m, h.Margin(login).Balance);
        Assert.Contains(h.History.GetLedger(login, 0, long.MaxValue), l => l.Kind == LedgerKind.StopOutCompensation && l.Amount == 801.80m);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Negative_balance_is_kept_by_default()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        h.Buy(login, "EURUSD", 90);
        h.Tick("EURUSD", 1.08000m, 1.08002m);
        Assert.Equal(-801.80m, h.Margin(login).Balance);
        Assert.Empty(h.Engine.GetPositions(login));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fully_hedged_accounts_can_be_skipped(bool skip)
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "hedged", MarginCall = 200, StopOut = 150, StopOutSkipHedged = skip }));
        var login = h.Account(300m, "hedged");
        h.Buy(login, "EURUSD", 10);  // margin 110.00, level 272 %
        h.Sell(login, "EURUSD", 10); // margin 220.00, equity 299.60: level 136 % ≤ 150 % stop-out
        if (skip)
        {
            // A full hedge cannot lose more: the account is flagged, its positions stay.
            Assert.Equal(2, h.Engine.GetPositions(login).Count());
            Assert.Equal(MarginLevelType.StopOut, h.Margin(login).LevelType);
        }
        else
        {
            // Both legs lose 0.20; the tie goes to the older ticket (the buy), then the level recovers.
            var left = Assert.Single(h.Engine.GetPositions(login));
            Assert.Equal(TradeCommand.Sell, left.Command);
        }
    }
}
