using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using Dealwire.Gateway.Limits;

namespace Dealwire.Gateway.Diagnostics;

/// <summary>
/// The gateways' instruments (meter <c>Dealwire.Gateway</c>), tagged by protocol. Transports call these at
/// the moment a thing happens (a flush, a conflated quote, a reader cut off); the exporter reads them.
/// Static because a process serves each protocol once; the cost with no listener is a flag check.
/// </summary>
public static class GatewayMetrics
{
    public const string MeterName = "Dealwire.Gateway";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds from a command's arrival to its reply being built, by protocol and command (SLO buckets from 50 µs to 10 s).</summary>
    internal static readonly Histogram<double> CommandDuration = Meter.CreateHistogram(
        "dealwire_command_duration_seconds", unit: "s", description: "Time from a command's arrival to its reply, by protocol and command.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Seconds });

    private static readonly Counter<long> SentBytes = Meter.CreateCounter<long>(
        "dealwire_gateway_sent_bytes", unit: "By", description: "Bytes flushed to client sockets, by protocol.");

    private static readonly Counter<long> SentMessages = Meter.CreateCounter<long>(
        "dealwire_gateway_sent_messages", unit: "{message}", description: "Lines (replies, events, quotes) flushed to client sockets, by protocol.");

    // Conflation happens per quote per slow connection, tens of thousands of times a second when readers fall behind
    // at full rate: a tagged Counter.Add there was 6 % of the server's CPU (OpenTelemetry's aggregator looks the tags
    // up on every call). Queues add to a per-protocol tally instead, read when the exporter collects.
    private static readonly ConcurrentDictionary<string, Tally> Conflated = new(StringComparer.Ordinal);

    private static readonly Counter<long> SlowReaders = Meter.CreateCounter<long>(
        "dealwire_gateway_slow_readers_closed", unit: "{connection}", description: "Connections closed because replies and events waited past the outbound limit, by protocol.");

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        "dealwire_gateway_connections_refused", unit: "{connection}", description: "Connections refused at the connection cap, by protocol.");

    internal static readonly Counter<long> ClientFaults = Meter.CreateCounter<long>(
        "dealwire_gateway_client_faults", unit: "{fault}", description: "Unusable input from clients (bad bytes, malformed envelopes), by protocol.");

    private static readonly ConcurrentDictionary<TrackedConnection, byte> Open = new();

    static GatewayMetrics()
    {
        Meter.CreateObservableUpDownCounter("dealwire_gateway_connections", ObserveConnections, unit: "{connection}",
            description: "Open connections, by protocol and state (unauthenticated, authenticated).");
        Meter.CreateObservableCounter("dealwire_gateway_quotes_conflated", ObserveConflated, unit: "{quote}",
            description: "Quotes replaced by a newer one of the same symbol before a slow reader got them, by protocol.");
    }

    /// <summary>Counts a connection until the handle is disposed; its state is read from <paramref name="deadlines"/> at each collection.</summary>
    public static TrackedConnection TrackConnection(string protocol, ConnectionDeadlines deadlines)
    {
        var tracked = new TrackedConnection(protocol, deadlines);
        Open.TryAdd(tracked, 0);
        return tracked;
    }

    /// <summary>One flush of <paramref name="messages"/> lines to a client socket: call just before flushing <paramref name="output"/>.</summary>
    public static void Sent(string protocol, long messages, PipeWriter output) =>
        Sent(protocol, messages, output.CanGetUnflushedBytes ? output.UnflushedBytes : 0);

    /// <summary>One flush of <paramref name="messages"/> lines, <paramref name="bytes"/> long, to a client socket.</summary>
    public static void Sent(string protocol, long messages, long bytes)
    {
        if (messages <= 0) return;
        var tag = ProtocolTag(protocol);
        SentMessages.Add(messages, tag);
        SentBytes.Add(bytes, tag);
    }

    /// <summary>The running count of quotes conflated on <paramref name="protocol"/>'s connections; a queue looks it up once.</summary>
    public static Tally QuotesConflated(string protocol) => Conflated.GetOrAdd(protocol, static _ => new Tally());

    public static void SlowReaderClosed(string protocol) => SlowReaders.Add(1, ProtocolTag(protocol));

    public static void ConnectionRefused(string protocol) => Refused.Add(1, ProtocolTag(protocol));

    internal static KeyValuePair<string, object?> ProtocolTag(string protocol) => new("protocol", protocol);

    private static IEnumerable<Measurement<long>> ObserveConflated()
    {
        foreach (var (protocol, tally) in Conflated) yield return new Measurement<long>(tally.Value, ProtocolTag(protocol));
    }

    private static IEnumerable<Measurement<long>> ObserveConnections()
    {
        var counts = new Dictionary<(string Protocol, bool Authenticated), long>();
        // Both states of both protocols are always reported, so a dashboard sees 0 rather than no series.
        foreach (var protocol in new[] { GatewayProtocol.ServerApi, GatewayProtocol.ManagerApi })
        {
            counts[(protocol, false)] = 0;
            counts[(protocol, true)] = 0;
        }
        foreach (var connection in Open.Keys)
        {
            var key = (connection.Protocol, connection.IsAuthenticated);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        foreach (var ((protocol, authenticated), count) in counts)
        {
            yield return new Measurement<long>(count, ProtocolTag(protocol),
                new KeyValuePair<string, object?>("state", authenticated ? "authenticated" : "unauthenticated"));
        }
    }

    /// <summary>A connection counted in <c>dealwire_gateway_connections</c> until disposed.</summary>
    public sealed class TrackedConnection : IDisposable
    {
        private readonly ConnectionDeadlines _deadlines;

        internal TrackedConnection(string protocol, ConnectionDeadlines deadlines)
        {
            Protocol = protocol;
            _deadlines = deadlines;
        }

        public string Protocol { get; }

        public bool IsAuthenticated => _deadlines.IsAuthenticated;

        public void Dispose() => Open.TryRemove(this, out _);
    }

    /// <summary>A monotonic count that many threads add to and the exporter reads (an observable counter's source).</summary>
    public sealed class Tally
    {
        private long _value;

        public long Value => Volatile.Read(ref _value);

        public void Add(long amount)
        {
            if (amount > 0) Interlocked.Add(ref _value, amount);
        }
    }
}
