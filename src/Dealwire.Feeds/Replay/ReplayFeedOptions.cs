namespace Dealwire.Feeds.Replay;

/// <summary>Settings of the <see cref="ReplayFeed"/> (configuration section <c>Feed</c>).</summary>
public sealed class ReplayFeedOptions
{
    /// <summary>The CSV file of recorded ticks (<c>symbol,bid,ask,time_ms</c>).</summary>
    public string ReplayFile { get; set; } = "";

    /// <summary>1 = the recorded pace, 2 = twice as fast, 0 = as fast as the engine takes them (waiting for room in its queue: nothing dropped, nothing spun).</summary>
    public double ReplaySpeed { get; set; } = 1;

    /// <summary>Start again from the first tick when the file ends.</summary>
    public bool ReplayLoop { get; set; } = true;

    /// <summary>
    /// Stamp ticks with the current time (keeping the recorded gaps) instead of the recorded time, so
    /// old recordings pass the stale check and a loop never goes back in time.
    /// </summary>
    public bool ReplayRebaseTime { get; set; } = true;
}
