using Dealwire.LoadTest.Clients;

namespace Dealwire.LoadTest.Measurement;

/// <summary>
/// Feed timestamp → client receipt, for a tape replayed at a fixed rate. The feed stamps tick i of pass p
/// with <c>start + floor((p·N + i)·1000/rate)</c> ms but the wire carries only whole seconds, so the
/// feed's start millisecond is recovered from where the seconds turn over: every received tick bounds it
/// to a 1000 ms interval and their intersection pins it to the millisecond once ticks are ≤ 1 ms apart
/// (rate ≥ 1000/s). The feed started somewhere inside that millisecond, so latencies carry ±0.5 ms;
/// baselines are measured with the very same estimator, so ratios do not carry that error.
/// </summary>
public static class TickLatency
{
    public sealed record Analysis(LatencyHistogram Histogram, long StartMs, long StartWidthMs, int Unplaced);

    /// <param name="earliestStartMs">The feed cannot have started before this (the server's launch).</param>
    public static Analysis Analyze(IEnumerable<ProbeSample> samples, int tapeLength, double rate, long earliestStartMs, double windowStartMs, double windowEndMs)
    {
        var all = samples.ToList();
        var histogram = new LatencyHistogram();
        if (all.Count == 0) return new Analysis(histogram, 0, -1, 0);
        long lo = earliestStartMs, hi = (long)all.Min(s => s.ReceivedUnixMs);
        var placed = new List<(ProbeSample Sample, double Due)>(all.Count);
        var unplaced = 0;
        var (boundLo, boundHi) = (lo, hi);
        foreach (var s in all)
        {
            var due = PlaceInPass(s, tapeLength, rate, lo, hi, out var start, out var end);
            if (due is null) { unplaced++; continue; }
            boundLo = Math.Max(boundLo, start);
            boundHi = Math.Min(boundHi, end);
            placed.Add((s, due.Value));
        }
        if (boundLo > boundHi) return new Analysis(histogram, boundLo, -1, unplaced);
        var feedStart = boundLo + 0.5;
        foreach (var (s, due) in placed)
        {
            if (s.ReceivedUnixMs < windowStartMs || s.ReceivedUnixMs > windowEndMs) continue;
            histogram.Record((s.ReceivedUnixMs - (feedStart + due)) * 1000);
        }
        return new Analysis(histogram, boundLo, boundHi - boundLo, unplaced);
    }

    /// <summary>The due time (ms after the feed start) of the pass that agrees with the wire seconds and the start bounds.</summary>
    private static double? PlaceInPass(ProbeSample s, int tapeLength, double rate, long lo, long hi, out long startLo, out long startHi)
    {
        var secondMs = s.WireSeconds * 1000;
        var firstPass = Math.Max(0, (long)Math.Floor(((secondMs - hi) * rate / 1000.0 - s.Index) / tapeLength) - 1);
        for (var p = firstPass; p < firstPass + 4; p++)
        {
            var due = (p * (double)tapeLength + s.Index) * 1000.0 / rate;
            var stamped = (long)due;
            startLo = Math.Max(lo, secondMs - stamped);
            startHi = Math.Min(hi, secondMs + 999 - stamped);
            if (startLo <= startHi) return due;
        }
        startLo = startHi = 0;
        return null;
    }
}
