using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Tests;

/// <summary>
/// What the history store does, for engine tests: a projection of the engine's events (closed deals, cancelled
/// orders, finance records by ticket; every ledger entry per login). The engine keeps no history, so tests read
/// it here, and <see cref="Complete"/> gives a command on a closed deal or a finance operation the record a
/// gateway would have read from the store.
/// </summary>
internal sealed class TestHistory
{
    private readonly Dictionary<long, TradeRecord> _trades = new();
    private readonly List<long> _order = new();
    private readonly List<LedgerEntry> _ledger = new();

    /// <summary>A copy that goes on separately (for a restored engine that continues beside the original).</summary>
    public TestHistory Clone()
    {
        var copy = new TestHistory();
        foreach (var t in _order) copy._trades[t] = _trades[t];
        copy._order.AddRange(_order);
        copy._ledger.AddRange(_ledger);
        return copy;
    }

    public void Observe(IEnumerable<EngineEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case BalanceEvent b:
                    _ledger.Add(b.Entry);
                    break;
                case TradeEvent { Change: var change, Trade: var r }:
                    if (!r.IsOpenPosition && !r.IsPendingOrder)
                    {
                        if (!_trades.ContainsKey(r.Ticket)) _order.Add(r.Ticket);
                        _trades[r.Ticket] = r;
                    }
                    else if (change == RecordChange.Restore && _trades.Remove(r.Ticket))
                    {
                        _order.Remove(r.Ticket); // a closed deal re-opened
                    }
                    break;
            }
        }
    }

    /// <summary>A closed deal, cancelled order or finance record in its latest state; null when none.</summary>
    public TradeRecord? FindTrade(long ticket) => _trades.GetValueOrDefault(ticket);

    /// <summary>Closed deals, cancelled orders and finance records with a close time in [from, to], in closing order.</summary>
    public IEnumerable<TradeRecord> GetHistory(long? login, long from, long to) =>
        _order.Select(t => _trades[t]).Where(r => (login is null || r.Login == login) && r.CloseTime >= from && r.CloseTime <= to);

    public IEnumerable<LedgerEntry> GetLedger(long? login, long from, long to) =>
        _ledger.Where(l => (login is null || l.Login == login) && l.Time >= from && l.Time <= to);

    /// <summary>The finance operation booked under a ticket (its first entry that reverses nothing).</summary>
    public LedgerEntry? FindOperation(long ticket) => _ledger.FirstOrDefault(l => l.Ticket == ticket && l.ReversesId == 0);

    /// <summary>The command as a gateway sends it: carrying the closed record or ledger entry it read from history.</summary>
    public EngineCommand Complete(EngineCommand command) => command switch
    {
        ReverseLedger { Entry: null } c => c with { Entry = FindOperation(c.Ticket) },
        AmendLedger { Entry: null } c => c with { Entry = FindOperation(c.Ticket) },
        EditTrade { Closed: null } c => c with { Closed = FindTrade(c.Ticket) },
        DeleteTrade { Closed: null } c => c with { Closed = FindTrade(c.Ticket) },
        RestoreTrade { Closed: null } c => c with { Closed = FindTrade(c.Ticket) },
        _ => command,
    };
}

/// <summary>Feeds a <see cref="TestHistory"/> from a running engine's released events.</summary>
internal sealed class HistorySink(TestHistory history) : IEngineEventSink
{
    public void OnEvents(IReadOnlyList<EngineEvent> events)
    {
        lock (history) history.Observe(events);
    }
}
