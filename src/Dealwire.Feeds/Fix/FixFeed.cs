using System.Net.Sockets;
using Dealwire.Feeds.Sources;
using Microsoft.Extensions.Logging;

namespace Dealwire.Feeds.Fix;

/// <summary>
/// A FIX 4.4 market-data initiator as a quote feed: connects to the provider's acceptor, runs a
/// <see cref="FixSession"/> until the connection ends, and reconnects with exponential backoff and jitter
/// (reset after each successful Logon). Prices are offered without waiting: a live price that finds the
/// engine's queue full is dropped and counted, never queued behind newer ones.
/// </summary>
public sealed partial class FixFeed : BackgroundFeed
{
    private readonly string _name;
    private readonly FixSourceOptions _options;
    private readonly string _sequencePath;
    private readonly FeedSource? _health;
    private readonly ILogger _logger;

    public FixFeed(string name, FixSourceOptions options, string dataDirectory, ITickTarget target, TimeProvider clock, ILogger logger)
        : base(target, clock)
    {
        options.Validate(name);
        _name = name;
        _options = options;
        _sequencePath = Path.Combine(dataDirectory, "fix", $"{name}.seqnums");
        _health = (target as SourceTickTarget)?.Source;
        _logger = logger;
    }

    public override string Name => _name;

    /// <summary>The current (or last) connection's session; null before the first connect.</summary>
    public FixSession? Session { get; private set; }

    /// <summary>TCP connections made (the first one and every reconnect).</summary>
    public long Connects { get; private set; }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        using var sequences = new FixSequenceStore(_sequencePath);
        // One book across reconnects: a side known before a drop stays known until the provider's new snapshot.
        var book = new MarketDataBook(_options.Symbols);
        var delay = _options.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            var session = new FixSession(_name, _options, sequences, book, tick => Offer(tick), Clock, _logger);
            session.LoggedOnChanged += () =>
            {
                if (session.LoggedOn) _health?.SessionStarted();
                else _health?.SessionEnded();
            };
            Session = session;
            string reason;
            try
            {
                using var client = new TcpClient { NoDelay = true };
                using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    connect.CancelAfter(_options.LogonTimeout);
                    await client.ConnectAsync(_options.Host, _options.Port, connect.Token).ConfigureAwait(false);
                }
                Connects++;
                await using var stream = client.GetStream();
                reason = await session.RunAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = "connect timed out";
            }
            catch (SocketException ex)
            {
                reason = "connect failed: " + ex.Message;
            }
            if (cancellationToken.IsCancellationRequested) return;
            if (session.Counters.Logons > 0) delay = _options.ReconnectDelay;
            var wait = Jitter(delay);
            LogDisconnected(_name, reason, wait.TotalSeconds);
            await Task.Delay(wait, Clock, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    // ±20 %: many servers restarted together do not knock on the provider's door in step.
    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + 0.4 * Random.Shared.NextDouble());

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIX source {Source}: disconnected ({Reason}); reconnecting in {Seconds:0.0} s")]
    private partial void LogDisconnected(string source, string reason, double seconds);
}
