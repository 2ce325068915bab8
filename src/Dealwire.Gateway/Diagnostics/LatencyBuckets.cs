namespace Dealwire.Gateway.Diagnostics;

/// <summary>
/// Histogram bucket boundaries in seconds for latencies measured in microseconds to seconds: the
/// exporters' default buckets (0 to 10 000) are made for milliseconds and would put every command in one bucket.
/// </summary>
public static class LatencyBuckets
{
    public static readonly IReadOnlyList<double> Seconds =
    [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];
}
