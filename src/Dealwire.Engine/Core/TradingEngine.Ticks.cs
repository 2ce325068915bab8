using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Prices in, figures out. A tick re-values only the exposures on its symbol (and on symbols that
/// convert through it), then checks margin levels of the accounts whose level type changed.
/// </summary>
public sealed partial class TradingEngine
{
    private readonly List<Account> _levelChanges = new();

    /// <summary>
    /// Queues an account whose margin level type changed, once until the queue is drained. The flag
    /// keeps this O(1): a price shock can move thousands of accounts in one tick.
    /// </summary>
    private void WatchLevel(Account account)
    {
        if (account.LevelQueued || LevelOf(account) == account.LevelType) return;
        account.LevelQueued = true;
        _levelChanges.Add(account);
    }

    private (ReturnCode, string, object?) Tick(ApplyTick c)
    {
        if (!_symbols.TryGetValue(c.Symbol, out var symbol) && !_symbolsBySource.TryGetValue(c.Symbol, out symbol))
        {
            Counters.TicksRejectedUnknownSymbol++;
            return Reject(ReturnCode.SymbolNotFound, $"symbol {c.Symbol} not found");
        }
        var digits = symbol.Config.Digits;
        var bid = Money.Price(c.Bid, digits);
        var ask = Money.Price(c.Ask, digits);
        if (bid <= 0 || ask <= 0 || ask < bid)
        {
            Counters.TicksRejectedInvalid++;
            return Reject(ReturnCode.TradeBadPrices, "bid and ask must be positive with ask >= bid");
        }
        if (symbol.Raw.IsSet && c.QuoteTime < symbol.Raw.Time - Settings.OutOfOrderToleranceMs)
        {
            Counters.TicksRejectedOutOfOrder++;
            return Reject(ReturnCode.TradePriceChanged, "tick older than the last accepted one");
        }

        symbol.Raw = new Quote(bid, ask, c.QuoteTime);
        _priceVersion++;
        LastTick = (symbol.Config.Name, symbol.Raw);
        Counters.TicksProcessed++;
        RevalueSymbol(symbol);
        OnTick(symbol);
        ApplyLevelChanges();
        return Ok(BoxedTrue); // cached box: a tick allocates nothing in steady state
    }

    private static readonly object BoxedTrue = true;

    private void RevalueSymbol(SymbolState symbol)
    {
        var exposures = symbol.Exposures;
        for (var i = 0; i < exposures.Count; i++) RevalueAndWatch(exposures[i]);
        var dependents = symbol.Dependents;
        for (var d = 0; d < dependents.Count; d++)
        {
            var list = dependents[d].Exposures;
            for (var i = 0; i < list.Count; i++) RevalueAndWatch(list[i]);
        }
    }

    private void RevalueAndWatch(Exposure e)
    {
        Revalue(e);
        var account = e.Account;
        WatchLevel(account);
    }

    /// <summary>Hook for the dealing rules: pending activations, SL/TP, trailing stops on a symbol's tick.</summary>
    partial void OnTick(SymbolState symbol);

    /// <summary>Hook for time-driven rules: expirations, rollover.</summary>
    partial void OnTimePassed(ref bool changed);

    private (ReturnCode, string, object?) Advance()
    {
        var changed = false;
        OnTimePassed(ref changed);
        ApplyLevelChanges();
        return changed || _events.Count > 0 ? Ok(true) : Unchanged(false);
    }

    private static MarginLevelType LevelOf(Account account)
    {
        if (account.Margin <= 0 || account.Positions.Count == 0) return MarginLevelType.Ok;
        var group = account.GroupConfig;
        var equity = account.Equity;
        if (group.MarginLevelUnit == MarginLevelUnit.Money)
        {
            return equity <= group.StopOut ? MarginLevelType.StopOut : equity <= group.MarginCall ? MarginLevelType.MarginCall : MarginLevelType.Ok;
        }
        // equity / margin × 100 ≤ level, without a division on the per-tick path.
        var scaled = equity * 100m;
        // Usual case first: above a margin-call level that is not below the stop-out level means above both
        // (margin > 0 and decimal products round monotonically), one multiplication instead of two.
        if (group.StopOut <= group.MarginCall && scaled > group.MarginCall * account.Margin) return MarginLevelType.Ok;
        if (scaled <= group.StopOut * account.Margin) return MarginLevelType.StopOut;
        if (scaled <= group.MarginCall * account.Margin) return MarginLevelType.MarginCall;
        return MarginLevelType.Ok;
    }

    /// <summary>After a balance or position change of one account outside a tick.</summary>
    private void EvaluateLevel(Account account)
    {
        WatchLevel(account);
        ApplyLevelChanges();
    }

    private bool _applyingLevels;

    private void ApplyLevelChanges()
    {
        if (_applyingLevels || _levelChanges.Count == 0) return;
        _applyingLevels = true;
        try
        {
            // Login order, not exposure-list order (which a restore rebuilds differently): replays and restores agree.
            if (_levelChanges.Count > 1) _levelChanges.Sort(static (x, y) => x.Login.CompareTo(y.Login));
            for (var i = 0; i < _levelChanges.Count; i++)
            {
                var account = _levelChanges[i];
                if (!_accounts.ContainsKey(account.Login)) continue;
                var level = LevelOf(account);
                if (level == MarginLevelType.StopOut) StopOut(account);
                else SetLevel(account, level);
            }
        }
        finally
        {
            foreach (var account in _levelChanges) account.LevelQueued = false;
            _levelChanges.Clear();
            _applyingLevels = false;
        }
    }

    /// <summary>Records a crossing; the margin-call notice goes out once per crossing into the zone.</summary>
    private void SetLevel(Account account, MarginLevelType level)
    {
        var previous = account.LevelType;
        if (level == previous) return;
        account.LevelType = level;
        account.ChangedAt = _changeClock;
        var snapshot = FiguresOf(account);
        Emit(new MarginLevelEvent(snapshot, previous));
        if (level == MarginLevelType.MarginCall && previous == MarginLevelType.Ok)
        {
            NotifyAccount(account, NotifyLevel.Warning, "Margin call",
                $"Margin level {snapshot.MarginLevel}% reached the margin-call level {account.GroupConfig.MarginCall}", 200);
        }
    }

    /// <summary>
    /// Closes positions one at a time, largest loss first, re-checking after each close, until the
    /// level is above stop-out or nothing is left. Fully hedged accounts can be skipped by group option.
    /// </summary>
    private void StopOut(Account account)
    {
        var group = account.GroupConfig;
        if (group.StopOutSkipHedged && IsFullyHedged(account))
        {
            SetLevel(account, MarginLevelType.StopOut);
            return;
        }
        var previous = account.LevelType;
        var closed = 0;
        while (account.Positions.Count > 0 && LevelOf(account) == MarginLevelType.StopOut)
        {
            Trade? worst = null;
            decimal worstProfit = 0;
            foreach (var p in account.Positions)
            {
                var profit = PositionProfit(p);
                if (profit is null || !p.Symbol.Raw.IsSet) continue;
                var total = profit.Value + p.Swap;
                if (worst is null || total < worstProfit || (total == worstProfit && p.Ticket < worst.Ticket))
                {
                    worst = p;
                    worstProfit = total;
                }
            }
            if (worst is null) break; // nothing can be priced: nothing can be closed
            var rate = ProfitConverter(worst.Symbol, group.Currency).Rate();
            CloseWhole(worst, ClosePriceOf(worst), Now, Activation.StopOut, rate);
            closed++;
        }

        if (closed > 0)
        {
            NotifyAccount(account, NotifyLevel.Error, "Stop out",
                $"{closed} position(s) closed by stop-out at margin level below {group.StopOut}", 200);
        }
        if (account.Positions.Count == 0 && account.Balance < 0 && group.NegativeBalancePolicy == NegativeBalancePolicy.CompensateToZero)
        {
            BookFinance(account, LedgerKind.StopOutCompensation, -account.Balance, "negative balance compensation");
        }
        account.LevelType = previous;
        SetLevel(account, LevelOf(account));
        if (account.LevelType == previous && previous != MarginLevelType.StopOut && closed > 0)
        {
            // Went through stop-out and back within one step: still report the crossing.
            Emit(new MarginLevelEvent(FiguresOf(account), MarginLevelType.StopOut));
        }
    }

    private static bool IsFullyHedged(Account account)
    {
        foreach (var e in account.Exposures)
        {
            if (e.BuyVolume != e.SellVolume) return false;
        }
        return account.Exposures.Count > 0;
    }
}
