using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// The engine keeps no history: commands on a closed deal or a finance operation carry the record the gateway
/// read from the history store. The engine refuses a command without one, and its own guards (reversed ledger
/// ids, deleted deals) make a stale or repeated read harmless: no double reversal, no double
/// deletion or restore, no edit of a deleted deal.
/// </summary>
public class ClosedRecordScenarios
{
    [Fact]
    public void A_reversal_without_the_operations_entry_or_with_another_ticket_is_refused()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 100m));

        Assert.Equal(ReturnCode.ErrNotFound, h.Engine.Execute(Stamped(h, new ReverseLedger(deposit.Ticket))).Code);
        Assert.Equal(ReturnCode.ErrNotFound, h.Fails(new ReverseLedger(deposit.Ticket + 1) { Entry = deposit }));
        Assert.Equal(100m, h.Margin(login).Balance);
    }

    [Fact]
    public void A_stale_read_cannot_reverse_a_deposit_twice()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 100m));
        h.Ok(new ReverseLedger(deposit.Ticket) { Entry = deposit });

        // The history store still shows the deposit as it was: the engine remembers the reversal.
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new ReverseLedger(deposit.Ticket) { Entry = deposit }));
        Assert.Equal(0m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Settlement_entries_of_a_deal_are_not_finance_operations()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var deal = h.Buy(login, "EURUSD", 10);
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        h.Ok(new ClosePosition(login, deal.Ticket));
        var result = h.History.GetLedger(login, long.MinValue, long.MaxValue).Single(l => l.Kind == LedgerKind.TradingResult);

        Assert.Equal(ReturnCode.ErrNotFound, h.Fails(new ReverseLedger(result.Ticket) { Entry = result }));
    }

    [Fact]
    public void A_stale_read_cannot_delete_a_deal_twice_nor_edit_it_after_deletion()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var deal = h.Buy(login, "EURUSD", 100);
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        var closed = h.Ok(new ClosePosition(login, deal.Ticket)); // +98.00
        var balance = h.Margin(login).Balance;
        h.Ok(new DeleteTrade(deal.Ticket) { Closed = closed });
        Assert.Equal(balance - 98.00m, h.Margin(login).Balance);

        // Both carry the record as it was before the deletion: the engine's own copy wins.
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new DeleteTrade(deal.Ticket) { Closed = closed }));
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new EditTrade(deal.Ticket) { Profit = 500m, Closed = closed }));
        Assert.Equal(balance - 98.00m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void A_stale_read_cannot_restore_a_deleted_deal_twice()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var deal = h.Buy(login, "EURUSD", 100);
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        var closed = h.Ok(new ClosePosition(login, deal.Ticket)); // +98.00
        var deleted = h.Ok(new DeleteTrade(deal.Ticket) { Closed = closed });
        var restored = h.Ok(new RestoreTrade(deal.Ticket) { Closed = deleted });
        Assert.Equal(TradeState.ClosedNormal, restored.State);
        var balance = h.Margin(login).Balance;

        // The history store still shows the deal deleted: a second restore would book its 98.00 again.
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new RestoreTrade(deal.Ticket) { Closed = deleted }));
        Assert.Equal(ReturnCode.TradeIncorrectState, h.Fails(new EditTrade(deal.Ticket) { Comment = "x", Closed = deleted }));
        Assert.Equal(balance, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void A_command_on_a_closed_deal_without_its_record_is_refused()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var deal = h.Buy(login, "EURUSD", 10);
        h.Ok(new ClosePosition(login, deal.Ticket));

        Assert.Equal(ReturnCode.TradeIncorrectOrder, h.Engine.Execute(Stamped(h, new DeleteTrade(deal.Ticket))).Code);
        Assert.Equal(ReturnCode.TradeIncorrectOrder, h.Engine.Execute(Stamped(h, new EditTrade(deal.Ticket) { Profit = 1m })).Code);
        Assert.Equal(ReturnCode.TradeIncorrectOrder, h.Engine.Execute(Stamped(h, new RestoreTrade(deal.Ticket))).Code);
    }

    [Fact]
    public void The_guards_survive_a_snapshot()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 100m));
        h.Ok(new ReverseLedger(deposit.Ticket) { Entry = deposit });
        var deal = h.Buy(login, "EURUSD", 10);
        var closed = h.Ok(new ClosePosition(login, deal.Ticket));
        h.Ok(new DeleteTrade(deal.Ticket) { Closed = closed });

        var restored = new EngineHarness(TradingEngine.Restore(h.Engine.CreateSnapshot()), setup: false) { Time = h.Time };
        Assert.Equal(h.Engine.StateHash(), restored.Engine.StateHash());
        Assert.Equal(ReturnCode.TradeIncorrectState, restored.Fails(new ReverseLedger(deposit.Ticket) { Entry = deposit }));
        Assert.Equal(ReturnCode.TradeIncorrectState, restored.Fails(new DeleteTrade(deal.Ticket) { Closed = closed }));
        Assert.Equal(h.Margin(login).BalanceTime, restored.Margin(login).BalanceTime);
    }

    private static EngineCommand Stamped(EngineHarness h, EngineCommand command)
    {
        command.Stamp(h.Engine.LastSequence + 1, h.Time);
        return command;
    }
}
