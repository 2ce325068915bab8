using System.Diagnostics.Metrics;

namespace Dealwire.Feeds.Sources;

/// <summary>
/// The per-source instruments of the <c>Dealwire.Feeds</c> meter (exported to /metrics with every Dealwire meter),
/// tagged <c>source</c>. Observable: read from the sources' counters when collected, nothing done per tick.
/// </summary>
public sealed class FeedMetrics : IDisposable
{
    public const string MeterName = "Dealwire.Feeds";
    private readonly Meter _meter = new(MeterName);

    public FeedMetrics(FeedSourceRegistry registry, TimeProvider clock)
    {
        _meter.CreateObservableCounter("dealwire_feed_ticks_accepted_total", () => Each(registry.All, s => s.Accepted), "{tick}",
            "Ticks of a source that passed the quote filter into the engine's queue");
        _meter.CreateObservableCounter("dealwire_feed_ticks_filtered_total", () => Each(registry.All, s => s.Filtered), "{tick}",
            "Ticks of a source refused by the quote filter or a full engine queue");
        _meter.CreateObservableCounter("dealwire_feed_ticks_standby_total", () => Each(registry.All, s => s.Standby), "{tick}",
            "Ticks of a backup source dropped while a preferred source was active and fresh");
        _meter.CreateObservableGauge("dealwire_feed_connected", () => Each(registry.All, s => s.Connected ? 1 : 0), null,
            "1 while the source has a live session");
        _meter.CreateObservableGauge("dealwire_feed_last_tick_age_seconds", () => registry.All
            .Where(s => s.LastTickAt >= 0)
            .Select(s => new Measurement<double>((clock.GetUtcNow().ToUnixTimeMilliseconds() - s.LastTickAt) / 1000.0, Tag(s))), "s",
            "Seconds since the source's last tick");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Each(IReadOnlyList<FeedSource> sources, Func<FeedSource, long> read) =>
        sources.Select(s => new Measurement<long>(read(s), Tag(s)));

    private static KeyValuePair<string, object?> Tag(FeedSource source) => new("source", source.Name);
}
