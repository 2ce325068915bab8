namespace Dealwire.Client;

/// <summary>Delay before reconnect attempt <c>n</c>: exponential ceiling, full jitter above the floor (see <see cref="ReconnectPolicy"/>).</summary>
internal static class Backoff
{
    public static TimeSpan Delay(ReconnectPolicy policy, int attempt, Random random)
    {
        var min = policy.MinDelay.TotalMilliseconds;
        var max = policy.MaxDelay.TotalMilliseconds;
        // Pow overflows to +Infinity for large attempts; Math.Min then caps it at MaxDelay.
        // A zero floor would pin every delay at zero: grow from at least 1 ms.
        var ceiling = Math.Min(max, Math.Max(min, 1) * Math.Pow(policy.Multiplier, Math.Max(1, attempt)));
        ceiling = Math.Max(ceiling, min);
        return TimeSpan.FromMilliseconds(min + (random.NextDouble() * (ceiling - min)));
    }
}
