using System.Collections.Concurrent;
using System.Text.Json;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    // The symbols the application wants; re-sent after every reconnect.
    private readonly ConcurrentDictionary<string, byte> _channels = new(StringComparer.Ordinal);
    private volatile bool _subscribedToAll;

    /// <summary>Symbols currently subscribed (restored automatically after a reconnect).</summary>
    public IReadOnlyCollection<string> SubscribedSymbols => [.. _channels.Keys];

    /// <summary>Whether <see cref="SubscribeAllAsync"/> mode is on.</summary>
    public bool IsSubscribedToAll => _subscribedToAll;

    /// <summary><c>Subscribe</c>: receive quotes of these symbols (kept across reconnects).</summary>
    public Task SubscribeAsync(params string[] symbols) => SubscribeAsync(symbols, CancellationToken.None);

    /// <summary><c>Subscribe</c>: receive quotes of these symbols (kept across reconnects).</summary>
    public Task SubscribeAsync(IEnumerable<string> symbols, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(symbols, cancellationToken);

    /// <summary><c>Unsubscribe</c>: stop quotes of these symbols.</summary>
    public Task UnsubscribeAsync(params string[] symbols) => UnsubscribeAsync(symbols, CancellationToken.None);

    /// <summary><c>Unsubscribe</c>: stop quotes of these symbols.</summary>
    public Task UnsubscribeAsync(IEnumerable<string> symbols, CancellationToken cancellationToken = default) =>
        UnsubscribeCoreAsync(symbols, cancellationToken);

    internal async Task<JsonElement> SubscribeCoreAsync(IEnumerable<string> symbols, CancellationToken cancellationToken)
    {
        var list = Channels(symbols);
        foreach (var symbol in list) _channels.TryAdd(symbol, 0);
        try
        {
            return await SendAsync("Subscribe", ChannelsBody(list), cancellationToken).ConfigureAwait(false);
        }
        catch (ServerApiException)
        {
            // Rejected (unknown symbol, no right): do not try to restore it after a reconnect either.
            foreach (var symbol in list) _channels.TryRemove(symbol, out _);
            throw;
        }
    }

    internal Task<JsonElement> UnsubscribeCoreAsync(IEnumerable<string> symbols, CancellationToken cancellationToken)
    {
        var list = Channels(symbols);
        foreach (var symbol in list) _channels.TryRemove(symbol, out _);
        return SendAsync("Unsubscribe", ChannelsBody(list), cancellationToken);
    }

    /// <summary><c>SubscribeAll</c>: receive quotes of every symbol the session may see (kept across reconnects).</summary>
    public async Task SubscribeAllAsync(CancellationToken cancellationToken = default)
    {
        _subscribedToAll = true;
        await SendAsync("SubscribeAll", EmptyObject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>UnsubscribeAll</c>: drop every subscription, including SubscribeAll mode.</summary>
    public async Task UnsubscribeAllAsync(CancellationToken cancellationToken = default)
    {
        _subscribedToAll = false;
        _channels.Clear();
        await SendAsync("UnsubscribeAll", EmptyObject, cancellationToken).ConfigureAwait(false);
    }

    private static string[] Channels(IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var list = symbols.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one symbol is required.", nameof(symbols));
        if (list.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("Symbols must not be empty.", nameof(symbols));
        return list;
    }

    private static byte[] ChannelsBody(IReadOnlyCollection<string> symbols) =>
        JsonSerializer.SerializeToUtf8Bytes(new ChannelsRequest(symbols), ClientJsonContext.Default.ChannelsRequest);

    /// <summary>The subscription requests a fresh connection sends before anything queued.</summary>
    private List<PendingRequest> BuildRestoreRequests()
    {
        var requests = new List<PendingRequest>(2);
        var deadline = Environment.TickCount64 + (long)_options.RequestTimeout.TotalMilliseconds;
        if (_subscribedToAll) requests.Add(Register("SubscribeAll", EmptyObject, deadline));
        var symbols = _channels.Keys.Order(StringComparer.Ordinal).ToArray();
        if (symbols.Length > 0) requests.Add(Register("Subscribe", ChannelsBody(symbols), deadline));
        return requests;
    }

    /// <summary>A new call with a fresh extID, recorded as outstanding (so replies, timeouts and drops find it).</summary>
    private PendingRequest Register(string command, byte[] data, long deadline)
    {
        PendingRequest request;
        do
        {
            request = new PendingRequest(command, data, _ids.Next(), deadline);
        }
        while (!_outstanding.TryAdd(request.ExtId, request));
        return request;
    }
}
