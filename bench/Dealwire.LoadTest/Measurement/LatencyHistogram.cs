using System.Numerics;

namespace Dealwire.LoadTest.Measurement;

/// <summary>
/// Log-linear histogram of microsecond values (64 sub-buckets per power of two, so every recorded value
/// is kept within 1/64 ≈ 1.6 %). Not thread-safe: each connection records into its own and they are merged.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private readonly long[] _counts = new long[2 * SubBuckets + 58 * SubBuckets];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(double microseconds)
    {
        var v = microseconds <= 0 ? 0 : (long)microseconds;
        _counts[Index(v)]++;
        Count++;
        if (v > Max) Max = v;
    }

    public void Merge(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile q (0..1) in microseconds: the midpoint of the bucket that holds it.</summary>
    public double Percentile(double q)
    {
        if (Count == 0) return double.NaN;
        var rank = (long)Math.Ceiling(q * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(Midpoint(i), Max);
        }
        return Max;
    }

    private static int Index(long v)
    {
        if (v < 2 * SubBuckets) return (int)v;
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)v);
        var shift = msb - 6; // top 7 bits kept: [64, 128)
        var top = (int)(v >> shift);
        return 2 * SubBuckets + (shift - 1) * SubBuckets + (top - SubBuckets);
    }

    private static double Midpoint(int index)
    {
        if (index < 2 * SubBuckets) return index;
        var shift = (index - 2 * SubBuckets) / SubBuckets + 1;
        var top = (index - 2 * SubBuckets) % SubBuckets + SubBuckets;
        return ((long)top << shift) + ((1L << shift) / 2.0);
    }
}
