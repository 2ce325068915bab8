using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Snapshot, restore and the state hash: the whole primary state as data.</summary>
public sealed partial class TradingEngine
{
    public EngineSnapshot CreateSnapshot() => new()
    {
        LastSequence = LastSequence,
        Now = Now,
        NextTicket = _nextTicket,
        NextLogin = _nextLogin,
        NextLedgerId = _nextLedgerId,
        LastRolloverDay = _lastRolloverDay,
        Settings = Settings,
        SymbolGroups = _symbolGroups.Values.ToList(),
        Symbols = _symbolList.Select(s => s.Config).ToList(),
        Groups = _groupList.Select(g => g.Config).ToList(),
        Quotes = _symbolList.Where(s => s.Raw.IsSet).Select(s => new SymbolQuote(s.Config.Name, s.Raw.Bid, s.Raw.Ask, s.Raw.Time)).ToList(),
        Accounts = _accounts.Values.Select(a => new AccountBalance(a.Profile, a.Balance, a.Credit, a.LevelType)).ToList(),
        OpenTrades = _open.Values.OrderBy(t => t.Ticket).Select(t => t.ToRecord(0m)).ToList(),
        History = _historyOrder.Select(t => _history[t]).ToList(),
        Ledger = _accounts.Values.SelectMany(a => a.Ledger).OrderBy(l => l.Id).ToList(),
        DeletedTrades = _deletedStates.OrderBy(d => d.Key).Select(d => new DeletedTrade(d.Key, d.Value)).ToList(),
        Idempotency = _keys.Records.ToList(),
        ClosingBalances = ClosingBalances().ToList(),
        StateHash = StateHash(),
    };

    /// <summary>Rebuilds an engine from a snapshot; derived figures are recomputed from the stored quotes.</summary>
    public static TradingEngine Restore(EngineSnapshot s)
    {
        var e = new TradingEngine(s.Settings)
        {
            LastSequence = s.LastSequence,
            Now = s.Now,
            _nextTicket = s.NextTicket,
            _nextLogin = s.NextLogin,
            _nextLedgerId = s.NextLedgerId,
            _lastRolloverDay = s.LastRolloverDay,
        };
        foreach (var g in s.SymbolGroups) e._symbolGroups[g.Index] = g;
        foreach (var cfg in s.Symbols)
        {
            var state = new SymbolState(cfg);
            state.Refresh(cfg);
            e._symbols.Add(cfg.Name, state);
            e._symbolList.Add(state);
            if (cfg.Source.Length > 0) e._symbolsBySource[cfg.Source] = state;
        }
        foreach (var q in s.Quotes) e._symbols[q.Symbol].Raw = new Quote(q.Bid, q.Ask, q.Time);
        e._priceVersion++;
        foreach (var g in s.Groups)
        {
            var state = new GroupState(g);
            e._groups.Add(g.Name, state);
            e._groupList.Add(state);
        }
        e.RebuildDerivedConfig();
        foreach (var a in s.Accounts)
        {
            var group = e._groups[a.Profile.Group];
            var account = new Account(a.Profile, group) { Balance = a.Balance, Credit = a.Credit, LevelType = a.LevelType };
            e._accounts.Add(account.Login, account);
            group.Accounts++;
        }
        foreach (var entry in s.Ledger)
        {
            var account = e._accounts[entry.Login];
            account.Ledger.Add(entry);
            if (entry.ReversesId != 0) e._ledgerReversed.Add(entry.ReversesId);
        }
        foreach (var h in s.History)
        {
            var account = e._accounts[h.Login];
            e.AddHistory(account, h);
            if (h.Command.IsFinance())
            {
                var entry = account.Ledger.FirstOrDefault(l => l.Ticket == h.Ticket && l.ReversesId == 0);
                if (entry is not null) e._financeByTicket[h.Ticket] = entry;
            }
        }
        foreach (var d in s.DeletedTrades) e._deletedStates[d.Ticket] = d.StateBefore;
        e._keys.Restore(s.Idempotency);
        e.RestoreClosingBalances(s.ClosingBalances);
        foreach (var r in s.OpenTrades)
        {
            var account = e._accounts[r.Login];
            var trade = Trade.FromRecord(r, account, e._symbols[r.Symbol]);
            if (r.Command.IsMarket())
            {
                e.AddPosition(trade);
                e.OnPositionOpened(trade);
            }
            else
            {
                e.AddOrder(trade);
            }
        }
        e._events.Clear();
        return e;
    }

    /// <summary>
    /// SHA-256 over the primary state in a canonical order: configuration, counters, last quotes,
    /// accounts with balances, open trades, history and ledger. Derived figures are excluded: they
    /// follow from these.
    /// </summary>
    public string StateHash()
    {
        using var h = new StateHasher();
        h.Add(LastSequence);
        h.Add(_nextTicket);
        h.Add(_nextLogin);
        h.Add(_nextLedgerId);
        h.Add(_lastRolloverDay);
        // Configuration records are hashed through their canonical JSON: every field counts.
        foreach (var g in _symbolGroups.Values) h.Add(JsonSerializer.Serialize(g));
        foreach (var s in _symbolList.OrderBy(s => s.Config.Name, StringComparer.Ordinal))
        {
            h.Add(JsonSerializer.Serialize(s.Config));
            h.Add(s.Raw.Bid);
            h.Add(s.Raw.Ask);
            h.Add(s.Raw.Time);
        }
        foreach (var g in _groupList.OrderBy(g => g.Config.Name, StringComparer.Ordinal)) h.Add(JsonSerializer.Serialize(g.Config));
        foreach (var a in _accounts.Values)
        {
            h.Add(JsonSerializer.Serialize(a.Profile));
            h.Add(a.Balance);
            h.Add(a.Credit);
            h.Add((long)a.LevelType);
        }
        foreach (var t in _open.Values.OrderBy(t => t.Ticket)) HashTrade(h, t.ToRecord(0m));
        foreach (var ticket in _historyOrder.Order()) HashTrade(h, _history[ticket]);
        foreach (var a in _accounts.Values)
        {
            foreach (var l in a.Ledger)
            {
                h.Add(l.Id);
                h.Add(l.Login);
                h.Add((long)l.Kind);
                h.Add(l.Amount);
                h.Add(l.BalanceAfter);
                h.Add(l.CreditAfter);
                h.Add(l.Ticket);
                h.Add(l.Comment);
                h.Add(l.Time);
                h.Add(l.IdempotencyKey);
                h.Add(l.ReversesId);
                // Hashed only when set, like ApiData below: ledgers without references keep their hash.
                if (l.Reference is not null) h.Add(l.Reference);
            }
        }
        foreach (var d in _deletedStates.OrderBy(d => d.Key))
        {
            h.Add(d.Key);
            h.Add((long)d.Value);
        }
        HashIdempotency(h);
        HashEndOfDay(h);
        return h.Finish();
    }

    private static void HashTrade(StateHasher h, TradeRecord r)
    {
        h.Add(r.Ticket);
        h.Add(r.Login);
        h.Add(r.Symbol);
        h.Add((long)r.Command);
        h.Add(r.Volume);
        h.Add((long)r.State);
        h.Add(r.OpenTime);
        h.Add(r.OpenPrice);
        h.Add(r.StopLimitPrice);
        h.Add(r.StopLoss);
        h.Add(r.TakeProfit);
        h.Add(r.TrailingDistance);
        h.Add((long)r.ExpirationMode);
        h.Add(r.Expiration);
        h.Add(r.CloseTime);
        h.Add(r.ClosePrice);
        h.Add(r.Commission);
        h.Add(r.AgentCommission);
        h.Add(r.Swap);
        h.Add(r.Profit);
        h.Add(r.Taxes);
        h.Add(r.OpenRate);
        h.Add(r.CloseRate);
        h.Add((long)r.Reason);
        h.Add((long)r.Activation);
        h.Add(r.Magic);
        h.Add(r.Comment);
        h.Add(r.ParentTicket);
        h.Add(r.ClosedVolume);
        h.Add(r.ClosedByTicket);
        h.Add(r.UpdateTime);
        h.Add(r.ChangedBy);
        // Hashed only when set, so states that carry none keep the hash they always had.
        if (r.ApiData.Length > 0) h.Add(r.ApiData);
        if (r.CloseOrderTicket != 0) h.Add(r.CloseOrderTicket);
        if (r.ActivatedFrom is { } origin)
        {
            h.Add((long)origin.Command);
            h.Add(origin.PlacedTime);
            h.Add(origin.Price);
        }
    }
}
