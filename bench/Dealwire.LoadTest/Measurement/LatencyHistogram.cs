using HdrHistogram;

namespace Dealwire.LoadTest.Measurement;

/// <summary>
/// Microsecond latencies in an HdrHistogram (3 significant digits, so every percentile is within 0.1 % of the
/// recorded value, from 1 µs up to an hour). Not thread-safe: each connection records into its own and they
/// are merged, the way HdrHistogram is meant to be used under load.
/// </summary>
public sealed class LatencyHistogram
{
    private const long HighestMicroseconds = 3_600_000_000;
    private readonly LongHistogram _histogram = new(HighestMicroseconds, 3);

    public long Count => _histogram.TotalCount;

    public long Max => Count == 0 ? 0 : _histogram.GetMaxValue();

    public void Record(double microseconds)
    {
        var v = microseconds <= 0 ? 0 : (long)microseconds;
        _histogram.RecordValue(Math.Min(v, HighestMicroseconds));
    }

    public void Merge(LatencyHistogram other) => _histogram.Add(other._histogram);

    /// <summary>The value at quantile q (0..1) in microseconds; NaN when nothing was recorded.</summary>
    public double Percentile(double q) => Count == 0 ? double.NaN : _histogram.GetValueAtPercentile(q * 100);
}
