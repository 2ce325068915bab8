using System.Diagnostics;

namespace Dealwire.LoadTest.Wire;

/// <summary>
/// Emits tick indexes at a fixed rate with exactly the pacing of Dealwire's replay feed: sleep when the
/// next tick is at least 1 ms away, otherwise emit at once. Baseline feeds use it so every target sees
/// the same bursts. Tick i is due <c>i × 1000 / rate</c> ms after the start.
/// </summary>
public static class Pacer
{
    public static async Task RunAsync(double rate, Action<long, double> emit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (long i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var dueMs = i * 1000.0 / rate;
            var wait = dueMs - Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (wait >= 1)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            emit(i, dueMs);
        }
    }

    /// <summary>Unix time in milliseconds with sub-millisecond precision.</summary>
    public static double NowUnixMs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;
}
