namespace Dealwire.ServerApi.Sessions;

/// <summary>
/// Every open session and the quote subscription index. Readers (the fan-out threads) take lock-free
/// snapshots: arrays replaced on change, never mutated.
/// </summary>
internal sealed class SessionRegistry
{
    private readonly object _gate = new();
    private Session[] _sessions = [];
    private Session[] _allQuotes = [];
    private Dictionary<string, Session[]> _bySymbol = new(StringComparer.Ordinal);

    public int Count => Volatile.Read(ref _sessions).Length;

    public Session[] Sessions => Volatile.Read(ref _sessions);

    /// <summary>Sessions in SubscribeAll mode.</summary>
    public Session[] AllQuoteSubscribers => Volatile.Read(ref _allQuotes);

    /// <summary>Whether any session subscribed to individual symbols.</summary>
    public bool HasSymbolSubscribers => Volatile.Read(ref _bySymbol).Count > 0;

    public Session[] SubscribersOf(string symbol) =>
        Volatile.Read(ref _bySymbol).TryGetValue(symbol, out var list) ? list : [];

    /// <summary>Adds a session unless the limit is reached.</summary>
    public bool TryAdd(Session session, int maxConnections)
    {
        lock (_gate)
        {
            if (_sessions.Length >= maxConnections) return false;
            Volatile.Write(ref _sessions, [.. _sessions, session]);
            return true;
        }
    }

    public void Remove(Session session)
    {
        session.Release();
        lock (_gate)
        {
            Volatile.Write(ref _sessions, Without(_sessions, session));
            Volatile.Write(ref _allQuotes, Without(_allQuotes, session));
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
            Volatile.Write(ref _allQuotes, Without(_allQuotes, session));
        }
    }

    private void RebuildSymbols(Session session, IEnumerable<string> symbols, bool add)
    {
        var copy = new Dictionary<string, Session[]>(_bySymbol, StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            var list = copy.TryGetValue(symbol, out var l) ? l : [];
            list = add ? (Array.IndexOf(list, session) >= 0 ? list : [.. list, session]) : Without(list, session);
            if (list.Length == 0) copy.Remove(symbol);
            else copy[symbol] = list;
        }
        Volatile.Write(ref _bySymbol, copy);
    }

    private static Session[] Without(Session[] list, Session session)
    {
        var index = Array.IndexOf(list, session);
        if (index < 0) return list;
        var result = new Session[list.Length - 1];
        Array.Copy(list, 0, result, 0, index);
        Array.Copy(list, index + 1, result, index, list.Length - index - 1);
        return result;
    }
}
