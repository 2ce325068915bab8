using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// The money figures of issue 12 (items 1–7) recomputed by hand. Every scenario ends on the money
/// invariants (balance = Σ ledger, equity = balance + credit + floating) and on a replay and a
/// snapshot round trip giving the same state hash.
/// </summary>
public class MoneyCorrectnessScenarios
{
    /// <summary>A group with 5 USD per lot charged at open and at close on forex.</summary>
    private static long AccountWithCommission(EngineHarness h, decimal deposit, PositionAccounting accounting,
        decimal commission = 5m, CommissionCharge charge = CommissionCharge.OnOpenAndClose, long agent = 0, string name = "comm")
    {
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = name, MarginCall = 100, StopOut = 50, Accounting = accounting,
            Securities =
            [
                new GroupSecurity { SecurityIndex = 0, Commission = commission, CommissionCharge = charge, AgentCommission = agent == 0 ? 0 : 2m },
                new GroupSecurity { SecurityIndex = 1 }, new GroupSecurity { SecurityIndex = 2 },
            ],
        }));
        return h.Ok(new CreateAccount(new AccountProfile { Group = name, AgentAccount = agent }) { InitialDeposit = deposit }).Profile.Login;
    }

    /// <summary>Invariants, plus: the journal replays and the snapshot restores to the same state hash.</summary>
    private static void AssertConsistent(EngineHarness h)
    {
        h.AssertMoneyInvariants();
        var replay = new TradingEngine();
        foreach (var command in h.Journal) Assert.Equal(ReturnCode.Ok, replay.Execute(command).Code);
        Assert.Equal(h.Engine.StateHash(), replay.StateHash());
        Assert.Equal(h.Engine.StateHash(), TradingEngine.Restore(h.Engine.CreateSnapshot()).StateHash());
    }

    [Fact]
    public void Netting_reversal_charges_the_opening_commission_on_the_remainder_only()
    {
        var h = new EngineHarness();
        var login = AccountWithCommission(h, 100_000m, PositionAccounting.Netting);
        h.Tick("EURUSD", 1.10008m, 1.10010m);
        h.Buy(login, "EURUSD", 100);                      // long 1.00 @ 1.10010, commission −5.00 → 99 995.00
        h.AssertMoneyInvariants();
        h.Tick("EURUSD", 1.10200m, 1.10202m);
        h.Sell(login, "EURUSD", 300);                     // sell 3.00 @ 1.10200: close 1.00, open short 2.00
        // Close 1.00: (1.10200 − 1.10010) × 100 000 = +190.00, closing commission 1 × −5.00 = −5.00.
        // Open 2.00 short: commission 2 × −5.00 = −10.00 (not 3 × −5.00 on the whole deal).
        // 99 995.00 + 190.00 − 5.00 − 10.00 = 100 170.00.
        Assert.Equal(100_170.00m, h.Margin(login).Balance);
        var shortLeg = Assert.Single(h.Engine.GetPositions(login));
        Assert.Equal(200, shortLeg.Volume);
        Assert.Equal(-10.00m, shortLeg.Commission);
        AssertConsistent(h);
    }

    [Fact]
    public void Activated_pending_order_reversing_a_netting_position_charges_the_remainder_only()
    {
        var h = new EngineHarness();
        var login = AccountWithCommission(h, 100_000m, PositionAccounting.Netting);
        h.Tick("EURUSD", 1.10008m, 1.10010m);
        h.Buy(login, "EURUSD", 100);                      // long 1.00 @ 1.10010, −5.00 → 99 995.00
        h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.SellLimit, 300, 1.10200m));
        h.Tick("EURUSD", 1.10200m, 1.10202m);             // the sell limit fills 3.00 at bid 1.10200
        // Same as the market deal: +190.00 − 5.00 (close 1.00) − 10.00 (open 2.00) → 100 170.00.
        Assert.Equal(100_170.00m, h.Margin(login).Balance);
        var shortLeg = Assert.Single(h.Engine.GetPositions(login));
        Assert.Equal((TradeCommand.Sell, 200, -10.00m), (shortLeg.Command, shortLeg.Volume, shortLeg.Commission));
        AssertConsistent(h);
    }

    [Fact]
    public void Inverse_pair_conversion_divides_so_the_half_cent_rounds_away_from_zero()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Tick("USDJPY", 120.003m, 120.005m);
        var sell = h.Sell(login, "USDJPY", 1);            // 0.01 lot @ bid 120.003
        h.Tick("USDJPY", 119.998m, 120.000m);
        var closed = h.Ok(new ClosePosition(login, sell.Ticket));   // buys back at ask 120.000
        // (120.003 − 120.000) × 0.01 × 100 000 = 3 JPY; JPY → USD divides by USDJPY's ask:
        // 3 ÷ 120.000 = 0.025 exactly → 0.03 (half away from zero). Multiplying by 1/120 cut at
        // 28 digits gives 0.0249999… → 0.02.
        Assert.Equal(0.03m, closed.Profit);
        Assert.Equal(10_000.03m, h.Margin(login).Balance);
        AssertConsistent(h);
    }

    [Fact]
    public void Inverse_pair_commission_in_pips_divides_too()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "pips", MarginCall = 100, StopOut = 50,
            Securities = [new GroupSecurity { SecurityIndex = 0, Commission = 3m, CommissionType = CommissionType.Pips, CommissionBase = CommissionBase.PerLot }],
        }));
        var login = h.Ok(new CreateAccount(new AccountProfile { Group = "pips" }) { InitialDeposit = 10_000m }).Profile.Login;
        h.Tick("USDJPY", 119.998m, 120.000m);
        var buy = h.Buy(login, "USDJPY", 1);
        // 3 points × 0.001 × 0.01 lot × 100 000 = 3 JPY; ÷ 120.000 = 0.025 USD → −0.03.
        Assert.Equal(-0.03m, buy.Commission);
        AssertConsistent(h);
    }

    [Fact]
    public void Editing_an_open_positions_commission_books_the_difference()
    {
        var h = new EngineHarness();
        var login = h.Account(100_000m);                  // demo group: no commission
        var buy = h.Buy(login, "EURUSD", 100);            // @ 1.10002
        var edited = h.Ok(new EditTrade(buy.Ticket) { Commission = -10m });
        // 0 → −10.00 is money: a −10.00 commission correction, 100 000.00 → 99 990.00.
        Assert.Equal(-10.00m, edited.Commission);
        Assert.Equal(99_990.00m, h.Margin(login).Balance);
        Assert.Equal(-10.00m, h.Margin(login).Commission);
        var correction = h.History.GetLedger(login, 0, long.MaxValue).Last();
        Assert.Equal((LedgerKind.Commission, -10.00m, buy.Ticket), (correction.Kind, correction.Amount, correction.Ticket));
        h.AssertMoneyInvariants();

        h.Ok(new EditTrade(buy.Ticket) { Commission = -4m });   // −10.00 → −4.00: +6.00 back → 99 996.00
        Assert.Equal(99_996.00m, h.Margin(login).Balance);
        h.Tick("EURUSD", 1.10102m, 1.10104m);
        var closed = h.Ok(new ClosePosition(login, buy.Ticket));
        // (1.10102 − 1.10002) × 100 000 = +100.00; the deal shows −4.00 and the balance counted it:
        // 100 000.00 − 4.00 + 100.00 = 100 096.00 = deposit + profit + commission of the record.
        Assert.Equal(-4.00m, closed.Commission);
        Assert.Equal(100_096.00m, h.Margin(login).Balance);
        AssertConsistent(h);
    }

    [Fact]
    public void A_pending_order_has_no_commission_to_edit()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 100, 1.09000m));
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new EditTrade(order.Ticket) { Commission = -10m }));
        Assert.Equal(10_000m, h.Margin(login).Balance);
    }

    [Fact]
    public void Deleting_a_closed_deal_reverses_its_closing_commission_and_restoring_books_it_again()
    {
        var h = new EngineHarness();
        var login = AccountWithCommission(h, 100_000m, PositionAccounting.Hedging, commission: 11.02m, charge: CommissionCharge.OnClose);
        h.Tick("EURUSD", 1.10008m, 1.10010m);
        var buy = h.Buy(login, "EURUSD", 100);            // @ 1.10010, nothing charged at open
        h.Tick("EURUSD", 1.10200m, 1.10202m);
        var closed = h.Ok(new ClosePosition(login, buy.Ticket));
        // +190.00 profit, −11.02 closing commission: 100 178.98.
        Assert.Equal((190.00m, -11.02m), (closed.Profit, closed.Commission));
        Assert.Equal(100_178.98m, h.Margin(login).Balance);

        h.Ok(new DeleteTrade(buy.Ticket));
        // All the deal's money goes: −190.00 and +11.02 → 100 000.00 (was 99 988.98 with the commission left).
        Assert.Equal(100_000.00m, h.Margin(login).Balance);
        h.AssertMoneyInvariants();

        h.Ok(new RestoreTrade(buy.Ticket));
        Assert.Equal(100_178.98m, h.Margin(login).Balance);
        AssertConsistent(h);
    }

    [Fact]
    public void Finance_records_and_closed_deals_explain_every_balance()
    {
        var h = new EngineHarness();
        var agent = h.Account(0m);
        var login = AccountWithCommission(h, 50_000m, PositionAccounting.Hedging, agent: agent);
        h.Ok(new PostLedger(login, LedgerKind.Deposit, 1_000m));
        var mistaken = h.Ok(new PostLedger(login, LedgerKind.Deposit, 250m));
        h.Ok(new ReverseLedger(mistaken.Ticket));
        var a = h.Buy(login, "EURUSD", 100);              // −5.00 commission; agent +2.00
        var b = h.Sell(login, "GBPUSD", 200);             // −10.00; agent +4.00
        h.Ok(new EditTrade(a.Ticket) { Commission = -7.5m });
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        h.Tick("GBPUSD", 1.24900m, 1.24902m);
        h.Ok(new ClosePosition(login, a.Ticket));
        var closedB = h.Ok(new ClosePosition(login, b.Ticket));
        h.Ok(new DeleteTrade(closedB.Ticket));
        h.AssertMoneyInvariants();

        foreach (var account in new[] { login, agent })
        {
            var history = h.History.GetHistory(account, 0, long.MaxValue).Where(r => r.State != TradeState.Deleted).ToList();
            var finance = history.Where(r => r.Command.IsFinance()).Sum(r => r.Profit);
            var deals = history.Where(r => r.Command.IsMarket()).Sum(r => r.Profit + r.Swap + r.Commission);
            Assert.Equal(h.Margin(account).Balance, finance + deals);
        }
        // The agent's 2.00 + 4.00 are finance operations in its own history.
        Assert.Equal(6.00m, h.Margin(agent).Balance);
        AssertConsistent(h);
    }

    [Fact]
    public void Bid_markup_is_added_to_the_bid_after_the_spread_difference()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "markup", MarginCall = 100, StopOut = 50,
            Securities = [new GroupSecurity { SecurityIndex = 0, SpreadDiff = 4 }],
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", BidMarkup = 5 }],
        }));
        var login = h.Ok(new CreateAccount(new AccountProfile { Group = "markup" }) { InitialDeposit = 10_000m }).Profile.Login;
        h.Tick("EURUSD", 1.10000m, 1.10002m);
        // Spread difference 4: bid − 2 points, ask + 2 points. Then bid_markup +5 points on the bid:
        // bid 1.10000 − 0.00002 + 0.00005 = 1.10003; ask 1.10002 + 0.00002 = 1.10004.
        var shown = h.Engine.Pricing.ForGroup("markup", "EURUSD", new Quote(1.10000m, 1.10002m, 0));
        Assert.Equal((1.10003m, 1.10004m), (shown.Bid, shown.Ask));
        var sell = h.Sell(login, "EURUSD", 100);          // deals at the bid it shows
        Assert.Equal(1.10003m, sell.OpenPrice);
        var adjust = h.Engine.Pricing.AdjustmentFor("markup", "EURUSD");
        Assert.Equal((3, 2), (adjust.BidShift, adjust.AskShift)); // what the Manager API publishes
        AssertConsistent(h);
    }

    [Fact]
    public void Margin_initial_is_the_margin_of_the_trade_not_of_the_whole_exposure()
    {
        var h = new EngineHarness();
        var login = h.Account(100_000m);                  // hedging, 1:100, both legs margined in full
        var buy = h.Buy(login, "EURUSD", 100);
        var sell = h.Sell(login, "EURUSD", 100);
        // One lot: 100 000 EUR / 100 = 1 000 EUR × EURUSD bid 1.10000 = 1 100.00 USD per leg.
        Assert.Equal(1_100.00m, buy.MarginInitial);
        Assert.Equal(1_100.00m, sell.MarginInitial);      // was 2 200.00: the exposure after both legs
        Assert.Equal(2_200.00m, h.Margin(login).Margin);
        AssertConsistent(h);
    }
}
