using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Runtime.Diagnostics;

/// <summary>
/// The runner's instruments (meter <c>Dealwire.Engine</c>). Recorded by the runner around the engine, never
/// inside it: the engine core stays free of clocks, so a replay is still exact.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "Dealwire.Engine";

    public static readonly Meter Meter = new(MeterName);

    // Applying a batch takes microseconds to milliseconds; a batch of thousands of commands may take longer.
    private static readonly double[] ApplyBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    private static readonly Histogram<double> BatchApply = Meter.CreateHistogram(
        "dealwire_engine_batch_apply_duration_seconds", unit: "s",
        description: "Time the engine thread spent from a batch's first command to handing the batch to the journal.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ApplyBuckets });

    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>(
        "dealwire_engine_batch_commands", unit: "{command}",
        description: "State-changing commands in one batch handed to the journal.",
        tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096] });

    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>(
        "dealwire_engine_commands_rejected", unit: "{command}", description: "Commands the engine refused, by return code.");

    // The codes' names, made once: a rejection costs no string.
    private static readonly Dictionary<ReturnCode, KeyValuePair<string, object?>> CodeTags =
        Enum.GetValues<ReturnCode>().Distinct().ToDictionary(c => c, c => new KeyValuePair<string, object?>("code", c.ToString()));

    private static volatile EngineRunner? _observed;

    static EngineMetrics()
    {
        Meter.CreateObservableGauge("dealwire_engine_queue_depth", () => _observed?.QueueDepth ?? 0, unit: "{item}",
            description: "Commands, ticks and queries waiting in the engine's queue.");
    }

    /// <summary>Makes <paramref name="runner"/> the one whose queue depth is reported (the server runs one).</summary>
    public static void Observe(EngineRunner runner) => _observed = runner;

    internal static void Rejected(ReturnCode code)
    {
        if (code is ReturnCode.Ok or ReturnCode.OkNone || !Rejections.Enabled) return;
        Rejections.Add(1, CodeTags.TryGetValue(code, out var tag) ? tag : new("code", ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    internal static void BatchClosed(CommitBatch batch)
    {
        if (batch.StartedTimestamp == 0) return;
        if (BatchApply.Enabled) BatchApply.Record(Stopwatch.GetElapsedTime(batch.StartedTimestamp).TotalSeconds);
        if (BatchSize.Enabled && batch.Commands.Count > 0) BatchSize.Record(batch.Commands.Count);
    }
}
