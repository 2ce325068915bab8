using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Persistence.Recovery;

/// <summary>
/// Replays journals written before commands on closed deals and finance operations carried the record they act
/// on (the engine then looked it up in its own history, which it no longer keeps). Such a command (a
/// <see cref="ReverseLedger"/> without <see cref="ReverseLedger.Entry"/>, an <see cref="EditTrade"/>,
/// <see cref="DeleteTrade"/> or <see cref="RestoreTrade"/> of a closed deal without <c>Closed</c>) gets the
/// record the old engine would have found: from the format-1 snapshot's history, then from the events of the
/// commands replayed since. Used only when replay starts from a format-1 snapshot or from an empty engine
/// (the only replays that can meet such commands); replays from a current snapshot never pay for it.
/// </summary>
internal sealed class LegacyRecordResolver
{
    private readonly Dictionary<long, TradeRecord> _closed = new();
    private readonly Dictionary<long, LedgerEntry> _finance = new();

    public LegacyRecordResolver(EngineSnapshot? formatOne)
    {
        if (formatOne is null) return;
        foreach (var h in formatOne.History ?? []) _closed[h.Ticket] = h;
        foreach (var l in formatOne.Ledger ?? []) Observe(l);
    }

    /// <summary>The command as the current engine needs it: with the record the old engine read from its history.</summary>
    public EngineCommand Complete(EngineCommand command) => command switch
    {
        ReverseLedger { Entry: null } c when _finance.TryGetValue(c.Ticket, out var entry) => c with { Entry = entry },
        EditTrade { Closed: null } c when _closed.TryGetValue(c.Ticket, out var closed) => c with { Closed = closed },
        DeleteTrade { Closed: null } c when _closed.TryGetValue(c.Ticket, out var closed) => c with { Closed = closed },
        RestoreTrade { Closed: null } c when _closed.TryGetValue(c.Ticket, out var closed) => c with { Closed = closed },
        _ => command,
    };

    /// <summary>Follows what the replayed command did to closed deals and the ledger.</summary>
    public void Observe(IReadOnlyList<EngineEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case BalanceEvent b:
                    Observe(b.Entry);
                    break;
                case TradeEvent { Change: var change, Trade: var r }:
                    if (!r.IsOpenPosition && !r.IsPendingOrder) _closed[r.Ticket] = r;
                    else if (change == RecordChange.Restore) _closed.Remove(r.Ticket);
                    break;
            }
        }
    }

    private void Observe(LedgerEntry entry)
    {
        // A finance operation's entry is the first one booked on its ticket that reverses nothing.
        if (entry.ReversesId == 0 && entry.Kind is not (LedgerKind.TradingResult or LedgerKind.Commission or LedgerKind.Swap))
        {
            _finance.TryAdd(entry.Ticket, entry);
        }
    }
}
