using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// Issue #15, corrections: a booked finance operation's amount is corrected with one entry of the difference under the
/// same ticket (the ledger stays append-only, balance = Σ ledger), its record shows the new amount, and a later
/// correction or deletion starts from the corrected amount even when the history store it read is stale.
/// </summary>
public class FinanceCorrectionScenarios
{
    [Fact]
    public void A_deposit_entered_too_high_is_corrected_by_one_entry_of_the_difference()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 1_000m));

        var correction = h.Ok(new AmendLedger(deposit.Ticket, 100m));
        Assert.Equal(-900m, correction.Amount);
        Assert.Equal(deposit.Ticket, correction.Ticket);
        Assert.Equal(LedgerKind.Deposit, correction.Kind);
        Assert.Equal(100m, h.Margin(login).Balance);
        Assert.Equal(100m, h.Trade(deposit.Ticket)!.Profit); // the operation's record shows the amount now
        Assert.Equal([1_000m, -900m], h.History.GetLedger(login, long.MinValue, long.MaxValue).Select(l => l.Amount));
        h.AssertLedgerBalances();
    }

    [Fact]
    public void A_second_correction_and_a_deletion_start_from_the_corrected_amount_even_from_a_stale_read()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 1_000m));
        h.Ok(new AmendLedger(deposit.Ticket, 100m) { Entry = deposit });

        // The command carries the original entry as the history store showed it: the engine knows the amount now.
        var second = h.Ok(new AmendLedger(deposit.Ticket, 150m) { Entry = deposit });
        Assert.Equal(50m, second.Amount);
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new AmendLedger(deposit.Ticket, 150m) { Entry = deposit }));

        var reversal = h.Ok(new ReverseLedger(deposit.Ticket) { Entry = deposit });
        Assert.Equal(-150m, reversal.Amount);
        Assert.Equal(0m, h.Margin(login).Balance);
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new AmendLedger(deposit.Ticket, 10m) { Entry = deposit }));
        h.AssertLedgerBalances();
    }

    [Theory]
    [InlineData(-50, ReturnCode.InvalidData)] // a deposit stays a deposit
    [InlineData(0, ReturnCode.InvalidData)] // zero is a deletion
    [InlineData(10.001, ReturnCode.InvalidData)] // more decimals than the account currency
    public void A_correction_that_changes_what_the_operation_is_is_refused(decimal amount, ReturnCode code)
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 100m));
        Assert.Equal(code, h.Fails(new AmendLedger(deposit.Ticket, amount)));
        Assert.Equal(100m, h.Margin(login).Balance);
    }

    [Fact]
    public void A_correction_may_not_take_more_than_the_balance_holds_nor_touch_a_deal_settlement()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 1_000m));
        h.Ok(new PostLedger(login, LedgerKind.Withdrawal, -950m));
        Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(new AmendLedger(deposit.Ticket, 10m))); // would leave −940
        Assert.Equal(50m, h.Margin(login).Balance);

        var deal = h.Buy(login, "EURUSD", 1);
        h.Ok(new ClosePosition(login, deal.Ticket));
        var result = h.History.GetLedger(login, long.MinValue, long.MaxValue).First(l => l.Kind == LedgerKind.TradingResult);
        Assert.Equal(ReturnCode.ErrNotFound, h.Fails(new AmendLedger(result.Ticket, 1m) { Entry = result }));
    }

    [Fact]
    public void A_credit_correction_moves_credit_and_survives_snapshot_and_replay_with_the_same_hash()
    {
        var h = new EngineHarness();
        var login = h.Account(100m);
        var credit = h.Ok(new PostLedger(login, LedgerKind.CreditIn, 500m) { Comment = "bonus" });
        h.Ok(new AmendLedger(credit.Ticket, 300m));
        Assert.Equal(300m, h.Margin(login).Credit);
        Assert.Equal(100m, h.Margin(login).Balance);

        h.AssertReplayReproducesTheHash();
        var restored = new EngineHarness(h.AssertSnapshotRestoresTheHash(), setup: false) { History = h.History };
        Assert.Equal(-300m, restored.Ok(new ReverseLedger(credit.Ticket) { Entry = credit }).Amount); // the restored engine knows the amount now
    }
}
