using Dealwire.Feeds;

namespace Dealwire.Host.Tests.Feeds;

/// <summary>Records every tick offered; accepts all of them unless told otherwise.</summary>
internal sealed class RecordingTarget(bool accept = true) : ITickTarget
{
    private readonly List<RawTick> _ticks = [];

    public IReadOnlyList<RawTick> Ticks
    {
        get { lock (_ticks) return _ticks.ToList(); }
    }

    public int Count
    {
        get { lock (_ticks) return _ticks.Count; }
    }

    public bool Offer(in RawTick tick)
    {
        lock (_ticks) _ticks.Add(tick);
        return accept;
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"only {Count} of {count} ticks arrived within {timeout}");
            await Task.Delay(10);
        }
    }
}
