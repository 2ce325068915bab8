using System.Diagnostics.Metrics;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Serving;

namespace Dealwire.Host.Diagnostics;

/// <summary>
/// Figures the server already keeps, published as observable instruments on the meter <c>Dealwire.Host</c>:
/// the engine's state and counters, the feed and quote filter counters, and the runtime's garbage collector.
/// Read at each collection, so they cost nothing between scrapes. Names keep those of the hand-written
/// <c>/metrics</c> this replaced (a counter's <c>_total</c> is added by the exporter).
/// </summary>
internal sealed class ServerGauges : IDisposable
{
    public const string MeterName = "Dealwire.Host";

    private readonly Meter _meter;

    public ServerGauges(IMeterFactory meters, EngineRunner runner, FeedService feed, EngineFigureCache figures, Cluster.IClusterStatus cluster)
    {
        _meter = meters.Create(MeterName);
        var m = _meter;
        var c = runner.Counters;

        m.CreateObservableGauge("dealwire_cluster_diverged", () => cluster.DivergenceAlarm is null ? 0 : 1,
            description: "1 when this replica's state hash differed from the leader's at a checkpoint (docs/replication.md).");
        m.CreateObservableGauge("dealwire_cluster_verified_checkpoint", () => cluster.VerifiedCheckpoint,
            description: "Sequence of the last checkpoint whose state hash equalled the leader's (0: none yet, or a single node).");
        m.CreateObservableGauge("dealwire_engine_up", () => figures.Latest is null ? 0 : 1,
            description: "1 when the engine is running and answered the probe.");
        m.CreateObservableGauge("dealwire_engine_state", () => Enum.GetValues<EngineState>()
            .Select(s => new Measurement<int>(runner.State == s ? 1 : 0, new KeyValuePair<string, object?>("state", s.ToString()))),
            description: "The engine's lifecycle state (1 = current).");
        m.CreateObservableGauge("dealwire_engine_sequence", () => Optional(figures.Latest?.Sequence),
            description: "Sequence of the last applied command.");
        m.CreateObservableGauge("dealwire_engine_symbols", () => Optional(figures.Latest?.Symbols),
            description: "Configured symbols.");
        m.CreateObservableGauge("dealwire_engine_accounts", () => Optional(figures.Latest?.Accounts),
            description: "Accounts.");
        m.CreateObservableCounter("dealwire_engine_ticks_processed", () => Volatile.Read(ref c.TicksProcessed),
            description: "Ticks applied by the engine.");
        m.CreateObservableCounter("dealwire_engine_ticks_rejected", () => new[]
        {
            Reason(Volatile.Read(ref c.TicksRejectedUnknownSymbol), "unknown_symbol"),
            Reason(Volatile.Read(ref c.TicksRejectedOutOfOrder), "out_of_order"),
            Reason(Volatile.Read(ref c.TicksRejectedInvalid), "invalid"),
        }, description: "Ticks the engine refused, by reason.");
        m.CreateObservableCounter("dealwire_engine_ticks_dropped", () => runner.TicksDropped,
            description: "Ticks dropped because the engine queue was full.");
        m.CreateObservableCounter("dealwire_engine_commands_applied", () => Volatile.Read(ref c.CommandsApplied),
            description: "Commands applied.");

        m.CreateObservableCounter("dealwire_feed_ticks_offered", () => feed.Feed?.TicksOffered ?? 0,
            description: "Ticks the quote feed produced.");
        m.CreateObservableCounter("dealwire_quote_filter_accepted", () => feed.Filter.Counters.Accepted,
            description: "Feed ticks passed to the engine by the quote filter.");
        m.CreateObservableCounter("dealwire_quote_filter_rejected", () =>
        {
            var f = feed.Filter.Counters;
            return new[] { Reason(f.NonPositive, "non_positive"), Reason(f.Crossed, "crossed"), Reason(f.Stale, "stale"), Reason(f.Spike, "spike") };
        }, description: "Feed ticks the quote filter refused, by reason.");

        // Allocation rate and GC cost: rate() of these in PromQL. The runtime's own meter has more; these are the few a trading server watches.
        m.CreateObservableCounter("dealwire_gc_allocated_bytes", () => GC.GetTotalAllocatedBytes(precise: false), unit: "By",
            description: "Bytes allocated on the managed heap since start.");
        m.CreateObservableCounter("dealwire_gc_collections", () => new[]
        {
            Generation(GC.CollectionCount(0), 0), Generation(GC.CollectionCount(1), 1), Generation(GC.CollectionCount(2), 2),
        }, description: "Garbage collections since start, by generation.");
        m.CreateObservableCounter("dealwire_gc_pause_seconds", () => GC.GetTotalPauseDuration().TotalSeconds, unit: "s",
            description: "Time the runtime paused threads for garbage collection since start.");
        m.CreateObservableGauge("dealwire_gc_heap_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, unit: "By",
            description: "Managed heap size after the last collection.");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Optional(long? value) =>
        value is { } v ? [new Measurement<long>(v)] : [];

    private static Measurement<long> Reason(long value, string reason) => new(value, new KeyValuePair<string, object?>("reason", reason));

    private static Measurement<long> Generation(long value, int generation) => new(value, new KeyValuePair<string, object?>("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
