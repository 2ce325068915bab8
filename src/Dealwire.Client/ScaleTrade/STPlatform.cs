using System.Collections;
using System.Globalization;
using Dealwire.Client;

namespace ScaleTrade;

/// <summary>
/// Drop-in for the ScaleTrade C# <c>STPlatform</c> client, running on <see cref="ServerApiClient"/>: the
/// constructor returns at once and connects in the background (reconnecting forever); calls made meanwhile
/// are queued.
/// </summary>
public class STPlatform : IDisposable, IAsyncDisposable
{
    private readonly ServerApiClient _client;
    private int _disposed;

    /// <summary>Creates the platform connection.</summary>
    /// <param name="hostPort">Server address, <c>host:port</c>.</param>
    /// <param name="name">Connection name (for diagnostics).</param>
    /// <param name="options">Recognised keys: <c>autoSubscribe</c> (symbols), <c>timeout</c> (request timeout in ms); others are ignored.</param>
    /// <param name="broker">Kept for API compatibility; available as <see cref="Broker"/>.</param>
    /// <param name="context">Kept for API compatibility; available as <see cref="Context"/>.</param>
    /// <param name="token">The JWT sent with every command.</param>
    public STPlatform(string hostPort, string name, Dictionary<string, object>? options, object? broker, object? context, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPort);
        ArgumentException.ThrowIfNullOrEmpty(token);
        Name = name;
        Broker = broker;
        Context = context;
        var clientOptions = new ServerApiClientOptions
        {
            Endpoint = hostPort,
            Token = token,
            ConnectionName = string.IsNullOrEmpty(name) ? "scaletrade-csharp" : name,
            // The official clients retry after 4 s and cap at 30 s; keep that pace.
            Reconnect = new ReconnectPolicy { MinDelay = TimeSpan.FromSeconds(4), MaxDelay = TimeSpan.FromSeconds(30), Multiplier = 1.2 },
        };
        if (options is not null)
        {
            if (options.TryGetValue("autoSubscribe", out var auto)) clientOptions.AutoSubscribe = Symbols(auto);
            if (options.TryGetValue("timeout", out var timeout)) clientOptions.RequestTimeout = TimeSpan.FromMilliseconds(Convert.ToDouble(timeout, CultureInfo.InvariantCulture));
        }
        _client = ServerApiClient.Start(clientOptions);
        _client.Quotes.Received += (_, q) => Quote?.Invoke(this, new QuoteEventArgs(q));
        _client.Notifications.Received += (_, n) => Notify?.Invoke(this, new NotifyEventArgs(n));
        Command = new STCommandProxy(this);
    }

    /// <summary>Connection name given to the constructor.</summary>
    public string Name { get; }

    /// <summary>The broker object given to the constructor (unused by the client).</summary>
    public object? Broker { get; }

    /// <summary>The context object given to the constructor (unused by the client).</summary>
    public object? Context { get; }

    /// <summary>The underlying idiomatic client, for typed commands and streams.</summary>
    public ServerApiClient Client => _client;

    /// <summary>Quote ticks of subscribed symbols.</summary>
    public event EventHandler<QuoteEventArgs>? Quote;

    /// <summary>Notifications (de-duplicated by token).</summary>
    public event EventHandler<NotifyEventArgs>? Notify;

    /// <summary>
    /// Any command by name, as <c>dynamic</c>: <c>await cmd.AddUser(new { group = "demo", … })</c> sends
    /// <c>AddUser</c> with those fields and returns an <see cref="STResponse"/>.
    /// </summary>
    public dynamic Command { get; }

    /// <summary>Subscribes to quotes of the symbols.</summary>
    public async Task<STResponse> SubscribeAsync(params string[] symbols) =>
        new("Subscribe", await _client.SubscribeCoreAsync(symbols, CancellationToken.None).ConfigureAwait(false));

    /// <summary>Unsubscribes from quotes of the symbols.</summary>
    public async Task<STResponse> UnsubscribeAsync(params string[] symbols) =>
        new("Unsubscribe", await _client.UnsubscribeCoreAsync(symbols, CancellationToken.None).ConfigureAwait(false));

    /// <summary>Sends a command and returns its reply.</summary>
    public async Task<STResponse> CallAsync(string command, object? data = null, CancellationToken cancellationToken = default)
    {
        var reply = await _client.CallAsync(command, data, cancellationToken).ConfigureAwait(false);
        return new STResponse(command, reply);
    }

    private static List<string> Symbols(object value) => value switch
    {
        string one => [one],
        IEnumerable many => [.. many.Cast<object>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "")],
        _ => throw new ArgumentException("autoSubscribe must be a symbol or a list of symbols.", nameof(value)),
    };

    /// <summary>Closes the connection; pending calls fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _client.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the connection and waits for the background loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        await _client.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
