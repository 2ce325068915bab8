using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Dealer and manager corrections of trades, each recorded with who did it.</summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Edit(EditTrade c)
    {
        if (_open.TryGetValue(c.Ticket, out var t))
        {
            if (c.ClosePrice is not null || c.CloseTime is not null || c.Profit is not null)
            {
                return Reject(ReturnCode.TradeIncorrectState, "close fields apply to closed trades only");
            }
            if (c.StopLoss is < 0 || c.TakeProfit is < 0 || c.OpenPrice is <= 0) return Reject(ReturnCode.TradeInvalidSlTp, "prices cannot be negative");
            if (!t.Command.IsMarket() && (c.Commission is not null || c.Swap is not null))
            {
                return Reject(ReturnCode.InvalidData, "a pending order has no commission or swap to edit");
            }
            if (t.Command.IsMarket() && c.OpenPrice is { } openPrice)
            {
                ReshapePosition(t, t.Volume, Money.Price(openPrice, t.Symbol.Config.Digits));
            }
            else if (c.OpenPrice is { } pendingPrice)
            {
                RemoveOrder(t);
                t.OpenPrice = Money.Price(pendingPrice, t.Symbol.Config.Digits);
                AddOrder(t);
            }
            if (c.StopLoss is { } sl) t.StopLoss = sl;
            if (c.TakeProfit is { } tp) t.TakeProfit = tp;
            if (c.OpenTime is { } openTime) t.OpenTime = openTime;
            if (c.Expiration is { } expiration) t.Expiration = expiration;
            if (c.Comment is { } comment) t.Comment = comment;
            if (c.ApiData is { } apiData) t.ApiData = apiData;
            if (c.Commission is { } commission)
            {
                // An open position's commission was booked when it was charged: the edit books the
                // difference, so the balance keeps matching what the position says it paid.
                var edited = Money.Round(commission, t.Account.GroupConfig.CurrencyDigits);
                Correct(t.Account, LedgerKind.Commission, edited - t.Commission, t.Ticket);
                t.Commission = edited; // keeps the account's open-commission total in step
            }
            if (c.Swap is { } swap)
            {
                // Swap on an open position is floating (booked at close): the edit moves equity, not balance.
                swap = Money.Round(swap, t.Account.GroupConfig.CurrencyDigits);
                t.Account.FloatingSwap += swap - t.Swap;
                t.Swap = swap;
            }
            t.UpdateTime = Now;
            t.ChangedBy = c.Actor;
            if (t.Command.IsMarket()) OnPositionChanged(t);
            else OnOrderChanged(t);
            var record = Record(t);
            Emit(new TradeEvent(RecordChange.Update, record));
            EvaluateLevel(t.Account);
            return Ok(record);
        }

        var (closed, stale) = ClosedDeal(c.Ticket, c.Closed);
        if (stale.Length > 0) return Reject(ReturnCode.TradeIncorrectState, stale);
        if (closed is null) return Reject(ReturnCode.TradeIncorrectOrder, $"trade {c.Ticket} not found");
        if (!closed.Command.IsMarket() || closed.State is TradeState.Deleted) return Reject(ReturnCode.TradeIncorrectState, $"trade {c.Ticket} cannot be edited");
        if (!_accounts.TryGetValue(closed.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {closed.Login} not found");
        var digits = account.GroupConfig.CurrencyDigits;
        var updated = closed with
        {
            StopLoss = c.StopLoss ?? closed.StopLoss,
            TakeProfit = c.TakeProfit ?? closed.TakeProfit,
            OpenPrice = c.OpenPrice ?? closed.OpenPrice,
            OpenTime = c.OpenTime ?? closed.OpenTime,
            ClosePrice = c.ClosePrice ?? closed.ClosePrice,
            CloseTime = c.CloseTime ?? closed.CloseTime,
            Commission = c.Commission is { } cm ? Money.Round(cm, digits) : closed.Commission,
            Swap = c.Swap is { } sw ? Money.Round(sw, digits) : closed.Swap,
            Profit = c.Profit is { } pr ? Money.Round(pr, digits) : closed.Profit,
            Comment = c.Comment ?? closed.Comment,
            ApiData = c.ApiData ?? closed.ApiData,
            UpdateTime = Now,
            ChangedBy = c.Actor,
        };
        if (updated.CloseTime < updated.OpenTime) return Reject(ReturnCode.TradeBadCloseTime, "close time before open time");
        // Money already booked follows the edit through correcting entries, so the ledger stays the truth.
        Correct(account, LedgerKind.TradingResult, updated.Profit - closed.Profit, closed.Ticket);
        Correct(account, LedgerKind.Swap, updated.Swap - closed.Swap, closed.Ticket);
        Correct(account, LedgerKind.Commission, updated.Commission - closed.Commission, closed.Ticket);
        Emit(new TradeEvent(RecordChange.Update, updated));
        EvaluateLevel(account);
        return Ok(updated);
    }

    private void Correct(Account account, LedgerKind kind, decimal delta, long ticket)
    {
        if (delta != 0) Book(account, kind, delta, ticket, $"correction #{ticket}", null);
    }

    private (ReturnCode, string, object?) DeleteClosed(DeleteTrade c)
    {
        var (closed, stale) = ClosedDeal(c.Ticket, c.Closed);
        if (stale.Length > 0) return Reject(ReturnCode.TradeIncorrectState, stale);
        if (closed is null || !closed.Command.IsMarket()) return Reject(ReturnCode.TradeIncorrectOrder, $"closed trade {c.Ticket} not found");
        if (closed.State is TradeState.Deleted) return Reject(ReturnCode.TradeIncorrectState, $"trade {c.Ticket} is already deleted");
        if (!_accounts.TryGetValue(closed.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {closed.Login} not found");
        // Deleting a deal undoes all the money its record carries: profit, swap and commission (the share
        // charged at open and the one charged at close). A deleted record is left out of the history a
        // balance is rebuilt from, so what it booked must leave the balance too.
        Correct(account, LedgerKind.TradingResult, -closed.Profit, closed.Ticket);
        Correct(account, LedgerKind.Swap, -closed.Swap, closed.Ticket);
        Correct(account, LedgerKind.Commission, -closed.Commission, closed.Ticket);
        var deleted = closed with { State = TradeState.Deleted, UpdateTime = Now, ChangedBy = c.Actor };
        _deletedStates[c.Ticket] = closed.State;
        Emit(new TradeEvent(RecordChange.Delete, deleted));
        EvaluateLevel(account);
        return Ok(deleted);
    }

    /// <summary>The state a deleted deal had, so a restore brings it back as it was.</summary>
    private readonly Dictionary<long, TradeState> _deletedStates = new();

    /// <summary>
    /// A closed deal as the command carries it (the engine keeps no closed deals), checked against what the engine
    /// does know: which deals are deleted (<see cref="_deletedStates"/>). A deal deleted since the gateway read it is
    /// seen as deleted, so it can be neither deleted twice nor edited; a read that still shows a deal deleted after
    /// it was restored is refused. Null when the command carries no closed record of that ticket.
    /// </summary>
    private (TradeRecord? Deal, string Error) ClosedDeal(long ticket, TradeRecord? carried)
    {
        if (_open.ContainsKey(ticket) || carried is null || carried.Ticket != ticket || carried.IsOpenPosition || carried.IsPendingOrder) return (null, "");
        var deleted = _deletedStates.ContainsKey(ticket);
        if (deleted && carried.State != TradeState.Deleted) return (carried with { State = TradeState.Deleted }, "");
        if (!deleted && carried.State == TradeState.Deleted && carried.Command.IsMarket())
        {
            return (null, $"trade {ticket} was restored after the record given was read: read it again");
        }
        return (carried, "");
    }

    private (ReturnCode, string, object?) Restore(RestoreTrade c)
    {
        if (_open.ContainsKey(c.Ticket)) return Reject(ReturnCode.TradeIncorrectState, $"trade {c.Ticket} is open");
        var (record, stale) = ClosedDeal(c.Ticket, c.Closed);
        if (stale.Length > 0) return Reject(ReturnCode.TradeIncorrectState, stale);
        if (record is null || !record.Command.IsMarket()) return Reject(ReturnCode.TradeIncorrectOrder, $"trade {c.Ticket} not found in history");
        if (!_accounts.TryGetValue(record.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {record.Login} not found");
        if (record.State is TradeState.Deleted)
        {
            var state = _deletedStates.GetValueOrDefault(c.Ticket, TradeState.ClosedNormal);
            Correct(account, LedgerKind.TradingResult, record.Profit, record.Ticket);
            Correct(account, LedgerKind.Swap, record.Swap, record.Ticket);
            Correct(account, LedgerKind.Commission, record.Commission, record.Ticket);
            var restored = record with { State = state, UpdateTime = Now, ChangedBy = c.Actor };
            _deletedStates.Remove(c.Ticket);
            Emit(new TradeEvent(RecordChange.Restore, restored));
            EvaluateLevel(account);
            return Ok(restored);
        }
        if (record.State is not TradeState.ClosedNormal || record.ParentTicket != 0)
        {
            return Reject(ReturnCode.TradeIncorrectState, "only a fully closed position can be re-opened");
        }
        if (!_symbols.TryGetValue(record.Symbol, out var symbol)) return Reject(ReturnCode.SymbolNotFound, $"symbol {record.Symbol} not found");
        if (account.GroupConfig.Accounting == PositionAccounting.Netting && account.Positions.Exists(p => ReferenceEquals(p.Symbol, symbol)))
        {
            return Reject(ReturnCode.TradeIncorrectState, $"a netting account holds one position per symbol: {record.Symbol} is already open");
        }

        // Re-open: the close is undone (its money reversed) and the position lives again.
        Correct(account, LedgerKind.TradingResult, -record.Profit, record.Ticket);
        Correct(account, LedgerKind.Swap, -record.Swap, record.Ticket);
        var position = Trade.FromRecord(record with { State = TradeState.OpenRestored, CloseTime = 0, ClosePrice = 0, Activation = Activation.None }, account, symbol);
        position.UpdateTime = Now;
        position.ChangedBy = c.Actor;
        AddPosition(position);
        OnPositionOpened(position);
        var reopened = Record(position);
        Emit(new TradeEvent(RecordChange.Restore, reopened));
        EvaluateLevel(account);
        return Ok(reopened);
    }
}
