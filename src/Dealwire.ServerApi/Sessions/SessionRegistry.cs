using Dealwire.Gateway.Sessions;

namespace Dealwire.ServerApi.Sessions;

/// <summary>
/// The Server API's sessions: the gateway's registry and event router (by login, by group), plus what is
/// the Server API's own, the quote subscriptions (per symbol, or SubscribeAll). Readers (the fan-out
/// threads) take lock-free snapshots: arrays replaced on change, never mutated.
/// </summary>
internal sealed class SessionRegistry : SessionRegistry<Session>
{
    private readonly object _gate = new();
    private Session[] _allQuotes = [];
    private Dictionary<string, Session[]> _bySymbol = new(StringComparer.Ordinal);

    /// <summary>Sessions in SubscribeAll mode.</summary>
    public Session[] AllQuoteSubscribers => Volatile.Read(ref _allQuotes);

    /// <summary>Whether any session subscribed to individual symbols.</summary>
    public bool HasSymbolSubscribers => Volatile.Read(ref _bySymbol).Count > 0;

    public Session[] SubscribersOf(string symbol) =>
        Volatile.Read(ref _bySymbol).TryGetValue(symbol, out var list) ? list : [];

    /// <summary>Adds a session unless the limit is reached; it is routed by its identity from now on.</summary>
    public new bool TryAdd(Session session, int maxConnections)
    {
        if (!base.TryAdd(session, maxConnections)) return false;
        session.JoinRouter(this);
        return true;
    }

    public new void Remove(Session session)
    {
        session.Release();
        base.Remove(session);
        lock (_gate)
        {
            Volatile.Write(ref _allQuotes, CopyOnWrite.Without(_allQuotes, session));
            lock (session.SubscriptionGate)
            {
                if (session.Channels.Count > 0) RebuildSymbols(session, session.Channels, add: false);
            }
        }
    }

    public void Subscribe(Session session, IEnumerable<string> symbols)
    {
        lock (_gate)
        lock (session.SubscriptionGate)
        {
            var added = symbols.Where(session.Channels.Add).ToList();
            // In SubscribeAll mode the session is reached through the "all" list; the exact set is kept for bookkeeping.
            if (!session.SubscribedToAll && added.Count > 0) RebuildSymbols(session, added, add: true);
        }
    }

    public void Unsubscribe(Session session, IEnumerable<string> symbols)
    {
        lock (_gate)
        lock (session.SubscriptionGate)
        {
            var removed = symbols.Where(session.Channels.Remove).ToList();
            if (!session.SubscribedToAll && removed.Count > 0) RebuildSymbols(session, removed, add: false);
        }
    }

    public void SubscribeAll(Session session)
    {
        lock (_gate)
        lock (session.SubscriptionGate)
        {
            if (session.SubscribedToAll) return;
            session.SubscribedToAll = true;
            if (session.Channels.Count > 0) RebuildSymbols(session, session.Channels, add: false);
            Volatile.Write(ref _allQuotes, [.. _allQuotes, session]);
        }
    }

    /// <summary>Leaves SubscribeAll mode and clears the exact channels too.</summary>
    public void UnsubscribeAll(Session session)
    {
        lock (_gate)
        lock (session.SubscriptionGate)
        {
            if (!session.SubscribedToAll && session.Channels.Count > 0) RebuildSymbols(session, session.Channels, add: false);
            session.SubscribedToAll = false;
            session.Channels.Clear();
            Volatile.Write(ref _allQuotes, CopyOnWrite.Without(_allQuotes, session));
        }
    }

    private void RebuildSymbols(Session session, IEnumerable<string> symbols, bool add)
    {
        var copy = new Dictionary<string, Session[]>(_bySymbol, StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            var list = copy.TryGetValue(symbol, out var l) ? l : [];
            list = add ? (Array.IndexOf(list, session) >= 0 ? list : [.. list, session]) : CopyOnWrite.Without(list, session);
            if (list.Length == 0) copy.Remove(symbol);
            else copy[symbol] = list;
        }
        Volatile.Write(ref _bySymbol, copy);
    }
}
