using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>Commissions per lot and per deal, in money, pips and percent, at open, close or both; agent commission.</summary>
public class CommissionScenarios
{
    private static long AccountIn(EngineHarness h, GroupSecurity forex, decimal deposit = 10_000m, long agent = 0)
    {
        var name = $"comm{h.Engine.GetGroups().Count()}";
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = name, MarginCall = 100, StopOut = 50,
            Securities = [forex, new GroupSecurity { SecurityIndex = 1 }, new GroupSecurity { SecurityIndex = 2 }],
        }));
        var snapshot = h.Ok(new CreateAccount(new AccountProfile { Group = name, AgentAccount = agent }) { InitialDeposit = deposit });
        return snapshot.Profile.Login;
    }

    [Fact]
    public void Per_lot_money_commission_is_charged_at_open()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { Commission = 7m, CommissionBase = CommissionBase.PerLot });
        var buy = h.Buy(login, "EURUSD", 50);
        // 7.00 per lot × 0.5 lot = 3.50
        Assert.Equal(-3.50m, buy.Commission);
        Assert.Equal(9_996.50m, h.Margin(login).Balance);
        h.Ok(new ClosePosition(login, buy.Ticket));
        Assert.Equal(-3.50m, h.Trade(buy.Ticket)!.Commission);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Per_deal_commission_does_not_depend_on_volume()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { Commission = 5m, CommissionBase = CommissionBase.PerDeal });
        Assert.Equal(-5.00m, h.Buy(login, "EURUSD", 200).Commission);
        Assert.Equal(-5.00m, h.Buy(login, "EURUSD", 1).Commission);
        Assert.Equal(10_000m - 10m, h.Margin(login).Balance);
    }

    [Fact]
    public void Open_and_close_commission_splits_over_a_partial_close()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { Commission = 3m, CommissionCharge = CommissionCharge.OnOpenAndClose });
        var buy = h.Buy(login, "EURUSD", 100); // open: 3.00 × 1 lot
        Assert.Equal(-3.00m, buy.Commission);
        var part = h.Ok(new ClosePosition(login, buy.Ticket) { Volume = 40 });
        // The closed 0.4 lot carries its share of the opening commission (−1.20) plus the closing one (3 × 0.4 = −1.20).
        Assert.Equal(-2.40m, part.Commission);
        Assert.Equal(-1.80m, h.Trade(buy.Ticket)!.Commission);
        // Balance: 10 000 − 3.00 − 1.20 + profit (1.10000 − 1.10002) × 40 000 = −0.80 → 9 995.00
        Assert.Equal(9_995.00m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Close_only_commission_waits_for_the_close()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { Commission = 4m, CommissionCharge = CommissionCharge.OnClose });
        var buy = h.Buy(login, "EURUSD", 100);
        Assert.Equal(0m, buy.Commission);
        var closed = h.Ok(new ClosePosition(login, buy.Ticket));
        Assert.Equal(-4.00m, closed.Commission);
    }

    [Fact]
    public void Pips_commission_is_valued_like_profit()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { Commission = 10m, CommissionType = CommissionType.Pips });
        // 10 points × 0.00001 × 100 000 per lot × 2 lots = 20.00 USD
        Assert.Equal(-20.00m, h.Buy(login, "EURUSD", 200).Commission);
        // USDJPY: 10 points × 0.001 × 100 000 = 1 000 JPY per lot; to USD through USDJPY ask: 1 000 / 150.010 = 6.6662 → 6.67
        Assert.Equal(-6.67m, h.Buy(login, "USDJPY", 100).Commission);
    }

    [Fact]
    public void Percent_commission_is_of_the_notional()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { Commission = 0.01m, CommissionType = CommissionType.Percent });
        // 1 lot × 100 000 × ask 1.10002 = 110 002 USD × 0.01 % = 11.0002 → 11.00
        Assert.Equal(-11.00m, h.Buy(login, "EURUSD", 100).Commission);
    }

    [Fact]
    public void Agent_commission_is_paid_to_the_agent_account_and_recorded_on_the_trade()
    {
        var h = new EngineHarness();
        var agent = h.Account(0m);
        var login = AccountIn(h, new GroupSecurity { Commission = 7m, AgentCommission = 2m }, agent: agent);
        var buy = h.Buy(login, "EURUSD", 150);
        // Client pays 7 × 1.5 = 10.50; the broker pays the agent 2 × 1.5 = 3.00.
        Assert.Equal(-10.50m, buy.Commission);
        Assert.Equal(3.00m, buy.AgentCommission);
        Assert.Equal(3.00m, h.Margin(agent).Balance);
        var entry = Assert.Single(h.History.GetLedger(agent, 0, long.MaxValue));
        Assert.Equal(LedgerKind.AgentCommission, entry.Kind);
        // Paid as a finance operation of its own (its own ticket), naming the deal it pays for.
        Assert.Contains($"#{buy.Ticket}", entry.Comment);
        Assert.Contains(h.History.GetHistory(agent, 0, long.MaxValue), r => r.Ticket == entry.Ticket && r.Profit == 3.00m);
        Assert.Equal(9_989.50m, h.Margin(login).Balance);

        var part = h.Ok(new ClosePosition(login, buy.Ticket) { Volume = 50 });
        // The closed third carries a third of the agent commission.
        Assert.Equal(1.00m, part.AgentCommission);
        Assert.Equal(2.00m, h.Trade(buy.Ticket)!.AgentCommission);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Agent_commission_per_deal_in_pips_on_an_activated_order()
    {
        var h = new EngineHarness();
        var agent = h.Account(0m);
        var login = AccountIn(h, new GroupSecurity { AgentCommission = 5m, AgentCommissionType = CommissionType.Pips, AgentCommissionBase = CommissionBase.PerDeal }, agent: agent);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 300, 1.09900m));
        h.Tick("EURUSD", 1.09898m, 1.09900m);
        // Per deal: 5 points as for one lot = 5.00, whatever the volume.
        Assert.Equal(5.00m, h.Trade(order.Ticket)!.AgentCommission);
        Assert.Equal(5.00m, h.Margin(agent).Balance);
    }

    [Fact]
    public void No_agent_account_means_no_agent_commission()
    {
        var h = new EngineHarness();
        var login = AccountIn(h, new GroupSecurity { AgentCommission = 2m }, agent: 999_999);
        Assert.Equal(0m, h.Buy(login, "EURUSD", 100).AgentCommission);
    }
}
