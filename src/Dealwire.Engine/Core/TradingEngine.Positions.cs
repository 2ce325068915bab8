using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Keeping positions, exposures and account totals in step.</summary>
public sealed partial class TradingEngine
{
    private void AddPosition(Trade t)
    {
        var account = t.Account;
        account.Positions.Add(t);
        account.AddOpenCommission(t.Commission);
        t.InAccountTotals = true;
        _open[t.Ticket] = t;
        t.Symbol.OpenPositions++;
        var e = account.FindExposure(t.Symbol);
        if (e is null)
        {
            e = new Exposure(account, t.Symbol) { IndexInSymbol = t.Symbol.Exposures.Count };
            t.Symbol.Exposures.Add(e);
            account.Exposures.Add(e);
        }
        e.Add(t);
        account.FloatingSwap += t.Swap;
        Revalue(e);
    }

    private void RemovePosition(Trade t)
    {
        var account = t.Account;
        account.Positions.Remove(t);
        account.RemoveOpenCommission(t.Commission);
        t.InAccountTotals = false;
        _open.Remove(t.Ticket);
        t.Symbol.OpenPositions--;
        account.FloatingSwap -= t.Swap;
        var e = account.FindExposure(t.Symbol)!;
        e.Remove(t);
        if (e.Positions == 0)
        {
            account.FloatingProfit -= e.Profit;
            account.Margin -= e.Margin;
            DetachExposure(e);
        }
        else
        {
            Revalue(e);
        }
        account.ChangedAt = _changeClock;
    }

    /// <summary>Swap-remove from the symbol's list keeps removal O(1); order of exposures does not affect results.</summary>
    private static void DetachExposure(Exposure e)
    {
        var list = e.Symbol.Exposures;
        var last = list[^1];
        list[e.IndexInSymbol] = last;
        last.IndexInSymbol = e.IndexInSymbol;
        list.RemoveAt(list.Count - 1);
        e.Account.Exposures.Remove(e);
        if (e.Account.Exposures.Count == 0)
        {
            // Nothing open: clear residue of inexact divisions so the account is exactly flat.
            e.Account.FloatingProfit = 0;
            e.Account.Margin = 0;
        }
    }

    /// <summary>Changes a position's volume or price in place, keeping aggregates exact.</summary>
    private void ReshapePosition(Trade t, int volume, decimal openPrice)
    {
        var e = t.Account.FindExposure(t.Symbol)!;
        e.Remove(t);
        t.Volume = volume;
        t.OpenPrice = openPrice;
        e.Add(t);
        Revalue(e);
    }

    private void AddOrder(Trade t)
    {
        t.Account.Orders.Add(t);
        _open[t.Ticket] = t;
        OnOrderAdded(t);
    }

    private void RemoveOrder(Trade t)
    {
        t.Account.Orders.Remove(t);
        _open.Remove(t.Ticket);
        OnOrderRemoved(t);
    }

    /// <summary>Hook for price-ordered trigger books (pending orders).</summary>
    partial void OnOrderAdded(Trade order);

    partial void OnOrderRemoved(Trade order);

    /// <summary>
    /// Books the close of <paramref name="volume"/> out of <paramref name="totalVolume"/>: realised profit,
    /// the closed share of swap, commission on close. Call after the position left (or shrank in) the
    /// exposures, so the balance events show the account as it now is.
    /// </summary>
    private TradeRecord Settle(Trade t, int volume, int totalVolume, decimal closePrice, long closeTime, Activation activation, TradeState state,
        long recordTicket, long closeOrderTicket, ConversionRate rate)
    {
        var account = t.Account;
        var digits = account.GroupConfig.CurrencyDigits;
        var profit = Money.Round(t.ProfitAt(closePrice, volume, rate), digits);
        var full = volume == totalVolume;
        var swap = full ? t.Swap : Money.Round(t.Swap * volume / totalVolume, digits);
        var commission = full ? t.Commission : Money.Round(t.Commission * volume / totalVolume, digits);
        var agentCommission = full ? t.AgentCommission : Money.Round(t.AgentCommission * volume / totalVolume, digits);
        var closeCommission = CommissionFor(account, t.Symbol, volume, closePrice, rate, onClose: true);

        if (profit != 0) Book(account, LedgerKind.TradingResult, profit, t.Ticket, $"profit #{t.Ticket}", null);
        if (swap != 0) Book(account, LedgerKind.Swap, swap, t.Ticket, $"swap #{t.Ticket}", null);
        if (closeCommission != 0) Book(account, LedgerKind.Commission, closeCommission, t.Ticket, $"commission #{t.Ticket}", null);

        var record = t.ToClosedRecord(profit, recordTicket, closeOrderTicket, volume, state, activation, closeTime, closePrice, rate.Multiplier, swap,
            commission + closeCommission, agentCommission, Now, _current.Actor);
        if (!full)
        {
            account.FloatingSwap -= swap;
            t.Swap -= swap;
            t.Commission -= commission;
            t.AgentCommission -= agentCommission;
        }
        return record;
    }
}
