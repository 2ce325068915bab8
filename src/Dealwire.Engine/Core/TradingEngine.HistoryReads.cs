using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Closed deals and the ledger for <see cref="GetHistory"/>, <see cref="GetLedger"/> and closed tickets in
/// <see cref="GetTrade"/>, until every gateway reads them from the history store. A projection of the engine's
/// own events (what the history store projects too), for reads only: no rule reads it — commands on closed
/// deals and finance operations carry the record they act on. Kept in snapshots (format 2) only for these reads.
/// </summary>
public sealed partial class TradingEngine
{
    private readonly Dictionary<long, TradeRecord> _history = new();
    private readonly List<long> _historyOrder = new();
    private readonly Dictionary<long, List<TradeRecord>> _historyByLogin = new();
    private readonly Dictionary<long, List<LedgerEntry>> _ledgerByLogin = new();

    /// <summary>Applies the accepted command's events to the read history.</summary>
    private void ProjectHistory()
    {
        foreach (var e in _events)
        {
            switch (e)
            {
                case BalanceEvent b:
                    LedgerOf(b.Entry.Login).Add(b.Entry);
                    break;
                case TradeEvent { Change: var change, Trade: var r }:
                    if (r.IsOpenPosition || r.IsPendingOrder)
                    {
                        if (change == RecordChange.Restore) ForgetHistory(r.Ticket); // a closed deal re-opened
                    }
                    else
                    {
                        AddHistory(r);
                    }
                    break;
                case AccountEvent { Change: RecordChange.Delete } a:
                    var login = a.Account.Profile.Login;
                    if (_historyByLogin.Remove(login, out var records)) foreach (var h in records) _history.Remove(h.Ticket);
                    _historyOrder.RemoveAll(t => !_history.ContainsKey(t));
                    _ledgerByLogin.Remove(login);
                    break;
            }
        }
    }

    private void AddHistory(TradeRecord record)
    {
        var list = HistoryOf(record.Login);
        if (_history.ContainsKey(record.Ticket))
        {
            var i = list.FindIndex(h => h.Ticket == record.Ticket);
            if (i >= 0) list[i] = record;
        }
        else
        {
            _historyOrder.Add(record.Ticket);
            list.Add(record);
        }
        _history[record.Ticket] = record;
    }

    private void ForgetHistory(long ticket)
    {
        if (!_history.Remove(ticket, out var record)) return;
        _historyOrder.Remove(ticket);
        HistoryOf(record.Login).RemoveAll(h => h.Ticket == ticket);
    }

    private List<TradeRecord> HistoryOf(long login)
    {
        if (!_historyByLogin.TryGetValue(login, out var list)) _historyByLogin[login] = list = new();
        return list;
    }

    private List<LedgerEntry> LedgerOf(long login)
    {
        if (!_ledgerByLogin.TryGetValue(login, out var list)) _ledgerByLogin[login] = list = new();
        return list;
    }

    private IEnumerable<TradeRecord> HistoryRecords() => _historyOrder.Select(t => _history[t]);

    private IEnumerable<LedgerEntry> LedgerEntries() => _ledgerByLogin.Values.SelectMany(l => l).OrderBy(l => l.Id);

    /// <summary>Restores the read history from a snapshot (format 1 or 2).</summary>
    private void RestoreHistory(EngineSnapshot s)
    {
        foreach (var h in s.History) AddHistory(h);
        foreach (var l in s.Ledger) LedgerOf(l.Login).Add(l);
    }
}
