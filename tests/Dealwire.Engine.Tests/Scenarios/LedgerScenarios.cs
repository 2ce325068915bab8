using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

public class LedgerScenarios
{
    [Fact]
    public void Deposit_withdrawal_and_credit_each_leave_an_entry()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        h.Ok(new PostLedger(login, LedgerKind.Deposit, 500.25m) { Comment = "wire" });
        h.Ok(new PostLedger(login, LedgerKind.Withdrawal, -100.25m));
        h.Ok(new PostLedger(login, LedgerKind.CreditIn, 300m));
        h.Ok(new PostLedger(login, LedgerKind.CreditOut, -50m));
        h.Ok(new PostLedger(login, LedgerKind.BalanceCorrection, -0.01m));
        var m = h.Margin(login);
        Assert.Equal(399.99m, m.Balance);
        Assert.Equal(250m, m.Credit);
        Assert.Equal(649.99m, m.Equity);
        h.AssertLedgerBalances();
        Assert.Equal(5, h.Events.OfType<BalanceEvent>().Count(e => e.Entry.Login == login));
    }

    [Fact]
    public void Withdrawal_limits()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(new PostLedger(login, LedgerKind.Withdrawal, -1_000.01m)));
        h.Buy(login, "EURUSD", 50); // 550.00 margin, −1.00 floating → free margin 449.00
        Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(new PostLedger(login, LedgerKind.Withdrawal, -449.01m)));
        h.Ok(new PostLedger(login, LedgerKind.Withdrawal, -449.00m));
        Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(new PostLedger(login, LedgerKind.CreditOut, -1m)));
    }

    [Theory]
    [InlineData(LedgerKind.Deposit, 0)]
    [InlineData(LedgerKind.Deposit, -5)]
    [InlineData(LedgerKind.Withdrawal, 5)]
    [InlineData(LedgerKind.CreditIn, -1)]
    public void Amount_sign_and_size_are_checked(LedgerKind kind, int amount)
    {
        var h = new EngineHarness();
        var login = h.Account(100m);
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new PostLedger(login, kind, amount)));
    }

    [Fact]
    public void More_decimals_than_the_currency_has_are_refused()
    {
        var h = new EngineHarness();
        var login = h.Account(100m);
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new PostLedger(login, LedgerKind.Deposit, 1.001m)));
    }

    [Fact]
    public void A_repeated_idempotency_key_books_once_and_answers_the_first_entry()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var first = h.Ok(new PostLedger(login, LedgerKind.Deposit, 250m) { IdempotencyKey = "psp-42" });
        var (code, _, value) = h.Apply(new PostLedger(login, LedgerKind.Deposit, 250m) { IdempotencyKey = "psp-42" });
        Assert.Equal(ReturnCode.OkNone, code);
        Assert.Equal(first, value);
        Assert.Equal(250m, h.Margin(login).Balance);
    }

    [Fact]
    public void Reversing_a_deposit_restores_the_balance_with_an_entry()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 250m));
        var reversal = h.Ok(new ReverseLedger(deposit.Ticket));
        Assert.Equal(-250m, reversal.Amount);
        Assert.Equal(deposit.Id, reversal.ReversesId);
        Assert.Equal(0m, h.Margin(login).Balance);
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new ReverseLedger(deposit.Ticket)));
        Assert.Equal(TradeState.Deleted, h.Trade(deposit.Ticket)!.State);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Realised_profit_commission_and_swap_are_ledger_entries()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "comm", Securities = [new GroupSecurity { SecurityIndex = 0, Commission = 3.5m, CommissionCharge = CommissionCharge.OnOpenAndClose }],
        }));
        var login = h.Account(10_000m, "comm");
        var open = h.Buy(login, "EURUSD", 200); // 2 lots: commission 2 × 3.50 = 7.00 at open
        h.Ok(new EditTrade(open.Ticket) { Swap = -1.25m });
        h.Tick("EURUSD", 1.10102m, 1.10104m);
        h.Ok(new ClosePosition(login, open.Ticket)); // profit 200.00, swap −1.25, commission 7.00 at close
        var kinds = h.History.GetLedger(login, long.MinValue, long.MaxValue).Select(l => (l.Kind, l.Amount)).ToList();
        Assert.Contains((LedgerKind.Commission, -7.00m), kinds);
        Assert.Contains((LedgerKind.TradingResult, 200.00m), kinds);
        Assert.Contains((LedgerKind.Swap, -1.25m), kinds);
        Assert.Equal(2, kinds.Count(k => k.Kind == LedgerKind.Commission));
        Assert.Equal(10_000m - 7m + 200m - 1.25m - 7m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }
}
