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
        Accounts = _accounts.Values.Select(a => new AccountBalance(a.Profile, a.Balance, a.Credit, a.LevelType) { BalanceTime = a.BalanceTime }).ToList(),
        OpenTrades = _open.Values.OrderBy(t => t.Ticket).Select(t => t.ToRecord(0m)).ToList(),
        DeletedTrades = _deletedStates.OrderBy(d => d.Key).Select(d => new DeletedTrade(d.Key, d.Value)).ToList(),
        ReversedLedgerIds = _ledgerReversed.Order().ToList(),
        AmendedFinance = _amendedFinance.OrderBy(a => a.Key).Select(a => new AmendedFinance(a.Key, a.Value)).ToList(),
        Desks = _desks.Values.ToList(),
        Customers = _customers.Values.ToList(),
        NextDeskId = _nextDeskId,
        NextCustomerId = _nextCustomerId,
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
            var account = new Account(a.Profile, group) { Balance = a.Balance, Credit = a.Credit, LevelType = a.LevelType, BalanceTime = a.BalanceTime };
            e._accounts.Add(account.Login, account);
            group.Accounts++;
        }
        if (s.FormatVersion < 2) RestoreRuleStateFromHistory(e, s);
        foreach (var id in s.ReversedLedgerIds) e._ledgerReversed.Add(id);
        foreach (var a in s.AmendedFinance) e._amendedFinance[a.Ticket] = a.Amount;
        e.RestoreCrm(s);
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
    /// A format-1 snapshot holds the whole history and not the rule state derived from it: the reversed ledger ids
    /// (the guard against reversing twice) and each account's last ledger time.
    /// </summary>
    private static void RestoreRuleStateFromHistory(TradingEngine e, EngineSnapshot s)
    {
        foreach (var entry in s.Ledger ?? [])
        {
            if (entry.ReversesId != 0) e._ledgerReversed.Add(entry.ReversesId);
            if (e._accounts.TryGetValue(entry.Login, out var account) && entry.Time >= account.BalanceTime) account.BalanceTime = entry.Time;
        }
    }

    /// <summary>Names the hashing scheme: bumped whenever what the hash covers changes, so two schemes never agree by accident.</summary>
    public const string StateHashScheme = "dealwire-state/2";

    /// <summary>
    /// SHA-256 over the primary state in a canonical order: counters, settings, configuration, last quotes,
    /// accounts with balances, open trades, deleted deals, reversed ledger ids, idempotency keys, closing
    /// balances. History is not engine state (the history store holds it). Every record is hashed field by field (<see cref="RecordHash"/>), never through reflection.
    /// Derived figures are excluded: they follow from these.
    /// </summary>
    public string StateHash()
    {
        using var h = new StateHasher();
        h.Add(StateHashScheme);
        h.Add(LastSequence);
        h.Add(_nextTicket);
        h.Add(_nextLogin);
        h.Add(_nextLedgerId);
        h.Add(_lastRolloverDay);
        RecordHash.Add(h, Settings);
        h.Add(_symbolGroups.Count);
        foreach (var g in _symbolGroups.Values) RecordHash.Add(h, g);
        h.Add(_symbolList.Count);
        foreach (var s in _symbolList.OrderBy(s => s.Config.Name, StringComparer.Ordinal))
        {
            RecordHash.Add(h, s.Config);
            h.Add(s.Raw.Bid);
            h.Add(s.Raw.Ask);
            h.Add(s.Raw.Time);
        }
        h.Add(_groupList.Count);
        foreach (var g in _groupList.OrderBy(g => g.Config.Name, StringComparer.Ordinal)) RecordHash.Add(h, g.Config);
        h.Add(_accounts.Count);
        foreach (var a in _accounts.Values)
        {
            RecordHash.Add(h, a.Profile);
            h.Add(a.Balance);
            h.Add(a.Credit);
            h.Add((long)a.LevelType);
            h.Add(a.BalanceTime);
        }
        h.Add(_open.Count);
        foreach (var t in _open.Values.OrderBy(t => t.Ticket)) RecordHash.Add(h, t.ToRecord(0m));
        h.Add(_deletedStates.Count);
        foreach (var d in _deletedStates.OrderBy(d => d.Key))
        {
            h.Add(d.Key);
            h.Add((long)d.Value);
        }
        h.Add(_ledgerReversed.Count);
        foreach (var id in _ledgerReversed.Order()) h.Add(id);
        // Hashed only once there is one, so the hash of a state from before corrections existed is unchanged.
        if (_amendedFinance.Count > 0)
        {
            h.Add(_amendedFinance.Count);
            foreach (var (ticket, amount) in _amendedFinance.OrderBy(a => a.Key))
            {
                h.Add(ticket);
                h.Add(amount);
            }
        }
        HashCrm(h);
        HashIdempotency(h);
        HashEndOfDay(h);
        return h.Finish();
    }
}
