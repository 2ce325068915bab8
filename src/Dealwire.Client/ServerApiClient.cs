using System.Collections.Concurrent;
using System.Threading.Channels;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

/// <summary>
/// Client of the Dealwire (ScaleTrade-compatible) Server API: one persistent TCP connection carrying
/// commands, replies and pushed quotes/events, with automatic reconnection and a bounded queue of pending
/// requests. Thread-safe: any number of callers may use one instance concurrently.
/// </summary>
/// <example>
/// <code>
/// await using var client = await ServerApiClient.ConnectAsync(new ServerApiClientOptions
/// {
///     Endpoint = "127.0.0.1:8080",
///     Token = token,
///     AutoSubscribe = ["EURUSD"],
/// });
/// await foreach (var quote in client.Quotes.ForSymbol("EURUSD")) Console.WriteLine(quote);
/// </code>
/// </example>
public sealed partial class ServerApiClient : IAsyncDisposable, IDisposable
{
    private readonly ServerApiClientOptions _options;
    private readonly EndpointAddress _endpoint;
    private readonly Channel<PendingRequest> _queue;
    private readonly ConcurrentDictionary<string, PendingRequest> _outstanding = new(StringComparer.Ordinal);
    private readonly ExtIdGenerator _ids = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timer _timeoutSweeper;
    private readonly Random _jitter = new();
    private Task _supervisor = Task.CompletedTask;
    private SocketTransport? _transport;
    private Exception? _closedReason;
    private int _state = (int)ConnectionState.Connecting;
    private int _disposed;
    private bool _failFast;

    private ServerApiClient(ServerApiClientOptions options)
    {
        options.Validate();
        _options = options;
        _endpoint = EndpointAddress.Parse(options.Endpoint);
        _queue = Channel.CreateBounded<PendingRequest>(new BoundedChannelOptions(options.PendingQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        foreach (var symbol in options.AutoSubscribe) _channels.TryAdd(symbol, 0);
        _deduplicator = new NotificationDeduplicator(options.NotificationDeduplicationCapacity);
        Quotes = NewStream<Quote>("quote", lossless: false);
        Notifications = NewStream<Notification>("notification", lossless: true);
        TradeEvents = NewStream<TradeEvent>("trade:event", lossless: true);
        BalanceEvents = NewStream<BalanceEvent>("balance:event", lossless: true);
        UserEvents = NewStream<UserEvent>("user:event", lossless: true);
        SymbolEvents = NewStream<SymbolEvent>("symbol:event", lossless: true);
        GroupEvents = NewStream<GroupEvent>("group:event", lossless: true);
        var sweep = TimeSpan.FromMilliseconds(Math.Clamp(options.RequestTimeout.TotalMilliseconds / 10, 10, 250));
        _timeoutSweeper = new Timer(static s => ((ServerApiClient)s!).SweepTimeouts(), this, sweep, sweep);
    }

    /// <summary>
    /// Connects and returns a ready client (auto-subscriptions acknowledged). Throws
    /// <see cref="ServerApiConnectionException"/> when the first connection cannot be made, or
    /// <see cref="ServerApiException"/> when the server rejects the auto-subscription (e.g. a bad token).
    /// Later drops are handled by reconnecting.
    /// </summary>
    public static async Task<ServerApiClient> ConnectAsync(ServerApiClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ServerApiClient(options);
        client.Run(failFastOnFirstConnect: true);
        try
        {
            await client._ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Returns a client at once and connects in the background, retrying per the reconnect policy; calls made
    /// before the connection is up wait in the pending queue. (This is how the STPlatform facade starts.)
    /// </summary>
    public static ServerApiClient Start(ServerApiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ServerApiClient(options);
        client.Run(failFastOnFirstConnect: false);
        return client;
    }

    /// <summary>Where the connection stands.</summary>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>The options this client runs with (do not change them after start).</summary>
    public ServerApiClientOptions Options => _options;

    /// <summary>Calls sent and still waiting for their reply, plus calls queued for sending.</summary>
    public int PendingRequests => _outstanding.Count;

    /// <summary>Completes when the first connection is up and its auto-subscriptions are acknowledged.</summary>
    public Task WhenConnected => _ready.Task;

    /// <summary>The connection dropped. Raised before reconnecting starts.</summary>
    public event EventHandler<DisconnectedEventArgs>? Disconnected;

    /// <summary>Connected again with subscriptions restored. Pushes sent while disconnected were missed: resync here.</summary>
    public event EventHandler<ReconnectedEventArgs>? Reconnected;

    /// <summary>Non-fatal problems the client handled (bad lines, handler exceptions, failed connect attempts, …).</summary>
    public event EventHandler<ClientErrorEventArgs>? Error;

    /// <inheritdoc/>
    public override string ToString() => $"{_options.ConnectionName} ({_endpoint}, {State})";

    private void Run(bool failFastOnFirstConnect)
    {
        _failFast = failFastOnFirstConnect;
        _supervisor = Task.Run(() => SuperviseAsync(failFastOnFirstConnect));
    }

    private void SetState(ConnectionState state) => Volatile.Write(ref _state, (int)state);

    /// <summary>Stops everything at once: the connection is closed, waiting calls fail with <see cref="ObjectDisposedException"/>, streams end.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _disposeCts.Cancel();
        _transport?.Abort();
        Close(new ObjectDisposedException(ToString(), "The client was disposed."));
        _timeoutSweeper.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, and waits for the background connection loop to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }
    }

    /// <summary>Terminal: no more connections; every queued or waiting call fails with <paramref name="reason"/>.</summary>
    private void Close(Exception reason)
    {
        Interlocked.CompareExchange(ref _closedReason, reason, null);
        SetState(ConnectionState.Closed);
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var queued))
        {
            _outstanding.TryRemove(queued.ExtId, out _);
            queued.TryFail(reason);
        }
        foreach (var (extId, request) in _outstanding)
        {
            if (_outstanding.TryRemove(extId, out _)) request.TryFail(reason);
        }
        _ready.TrySetException(reason);
        // Observed here so an unobserved ready task never surfaces as an UnobservedTaskException.
        _ = _ready.Task.Exception;
        CompleteStreams(reason is ObjectDisposedException ? null : reason);
    }

    private void RaiseError(ClientErrorKind kind, string message, Exception? exception = null)
    {
        var handler = Error;
        if (handler is null) return;
        try
        {
            handler(this, new ClientErrorEventArgs(kind, message, exception));
        }
        catch (Exception)
        {
            // An error handler that throws has nowhere left to report to.
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null) return;
        try
        {
            handler(this, args);
        }
        catch (Exception e)
        {
            RaiseError(ClientErrorKind.HandlerFailed, $"A {typeof(T).Name} handler threw: {e.Message}", e);
        }
    }
}
