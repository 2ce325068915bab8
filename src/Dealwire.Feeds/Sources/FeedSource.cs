namespace Dealwire.Feeds.Sources;

/// <summary>
/// One quote source as the arbiter sees it: its name and priority, and the health figures /health and the
/// <c>dealwire_feed_*</c> instruments report. Counters are written by the source's own thread(s) and read by
/// monitoring, hence the interlocked access.
/// </summary>
public sealed class FeedSource(string name, int priority)
{
    private long _accepted;
    private long _filtered;
    private long _standby;
    private long _lastTickAt = -1;
    private int _sessions;

    public string Name { get; } = name;

    /// <summary>Lower is preferred: 0 is the primary, 1 the first backup, and so on.</summary>
    public int Priority { get; } = priority;

    /// <summary>True while the source has a live session (FIX logged on, a feeder connected, a local feed running).</summary>
    public bool Connected => Volatile.Read(ref _sessions) > 0;

    /// <summary>A session of the source began (a feeder may hold several connections at once).</summary>
    public void SessionStarted() => Interlocked.Increment(ref _sessions);

    public void SessionEnded() => Interlocked.Decrement(ref _sessions);

    /// <summary>Ticks that reached the engine's queue.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Ticks the quote filter refused (or the engine's queue had no room for).</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>Ticks dropped because another source of higher priority was active and fresh for the symbol.</summary>
    public long Standby => Interlocked.Read(ref _standby);

    /// <summary>Wall-clock Unix ms of the last tick received from this source, any symbol; -1 before the first.</summary>
    public long LastTickAt => Interlocked.Read(ref _lastTickAt);

    internal void CountAccepted() => Interlocked.Increment(ref _accepted);

    internal void CountFiltered() => Interlocked.Increment(ref _filtered);

    internal void CountStandby() => Interlocked.Increment(ref _standby);

    internal void MarkTick(long nowMs) => Interlocked.Exchange(ref _lastTickAt, nowMs);
}
