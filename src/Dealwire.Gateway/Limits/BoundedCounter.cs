namespace Dealwire.Gateway.Limits;

/// <summary>A shared counter that must never pass its capacity (connections of a listener, bytes of partial lines).</summary>
internal static class BoundedCounter
{
    /// <summary>
    /// Adds <paramref name="delta"/> unless that would take <paramref name="counter"/> past <paramref name="capacity"/>;
    /// false (nothing added) then. Giving back (delta ≤ 0) always succeeds. Lock-free: a compare-and-swap loop.
    /// </summary>
    public static bool TryAdd(ref long counter, long delta, long capacity)
    {
        if (delta <= 0)
        {
            Interlocked.Add(ref counter, delta);
            return true;
        }
        while (true)
        {
            var held = Interlocked.Read(ref counter);
            if (held + delta > capacity) return false;
            if (Interlocked.CompareExchange(ref counter, held + delta, held) == held) return true;
        }
    }
}
