using System.Diagnostics.Metrics;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Diagnostics;
using Dealwire.Host.Serving;

namespace Dealwire.Host.Tests.Http;

/// <summary>One collection of the <see cref="ServerGauges"/> built over a runner and a feed, read with a <see cref="MeterListener"/>.</summary>
internal sealed class GaugeReadings
{
    private readonly List<(string Name, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public static async Task<GaugeReadings> ReadAsync(EngineRunner runner, FeedService feed)
    {
        var figures = new EngineFigureCache(runner, TimeProvider.System);
        await figures.RefreshAsync(CancellationToken.None);
        using var factory = new IsolatedMeterFactory();
        using var gauges = new ServerGauges(factory, runner, feed, figures, new Cluster.SingleNodeStatus(null, () => runner.Counters.CommandsApplied));
        var readings = new GaugeReadings();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (factory.Created.Contains(instrument.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => readings.Add(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => readings.Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => readings.Add(i, v, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return readings;
    }

    public bool Has(string name) => _measurements.Any(m => m.Name == name);

    public List<double> All(string name) => _measurements.Where(m => m.Name == name).Select(m => m.Value).ToList();

    public double Single(string name, params (string Key, string Value)[] tags) =>
        _measurements.Single(m => m.Name == name && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value)).Value;

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value?.ToString();
        lock (_measurements) _measurements.Add((instrument.Name, value, copy));
    }

    /// <summary>Meters of this test only, so parallel tests' instruments stay out of the reading.</summary>
    private sealed class IsolatedMeterFactory : IMeterFactory
    {
        public List<Meter> Created { get; } = new();

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Created.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in Created) meter.Dispose();
        }
    }
}
