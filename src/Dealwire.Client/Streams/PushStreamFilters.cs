namespace Dealwire.Client;

/// <summary>Per-symbol and per-login views of push streams.</summary>
public static class PushStreamFilters
{
    /// <summary>Buffered stream of the items for one symbol (e.g. quotes or trade events of EURUSD).</summary>
    public static PushSubscription<T> ForSymbol<T>(this PushStream<T> stream, string symbol, int capacity = 0, CancellationToken cancellationToken = default)
        where T : ISymbolScoped
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return stream.ReadAllAsync(item => string.Equals(item.Symbol, symbol, StringComparison.Ordinal), capacity, cancellationToken);
    }

    /// <summary>Buffered stream of the items for one account login (trade, balance and user events, notifications).</summary>
    public static PushSubscription<T> ForLogin<T>(this PushStream<T> stream, long login, int capacity = 0, CancellationToken cancellationToken = default)
        where T : IAccountScoped => stream.ReadAllAsync(item => item.Login == login, capacity, cancellationToken);

    /// <summary>Calls <paramref name="handler"/> for the items of one symbol until the handle is disposed.</summary>
    public static IDisposable OnSymbol<T>(this PushStream<T> stream, string symbol, Action<T> handler) where T : ISymbolScoped =>
        stream.Subscribe(handler, item => string.Equals(item.Symbol, symbol, StringComparison.Ordinal));

    /// <summary>Calls <paramref name="handler"/> for the items of one login until the handle is disposed.</summary>
    public static IDisposable OnLogin<T>(this PushStream<T> stream, long login, Action<T> handler) where T : IAccountScoped =>
        stream.Subscribe(handler, item => item.Login == login);
}
