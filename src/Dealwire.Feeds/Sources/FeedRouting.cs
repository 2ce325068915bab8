namespace Dealwire.Feeds.Sources;

/// <summary>
/// The path every source's ticks take into the engine: source health → <see cref="SourceArbiter"/> → quote filter →
/// engine queue. One per server, shared by the configured feeds and the feeder endpoint.
/// </summary>
public sealed class FeedRouting(FeedSourceRegistry sources, SourceArbiter arbiter, IWaitingTickTarget engine)
{
    public FeedSourceRegistry Sources => sources;

    public SourceArbiter Arbiter => arbiter;

    /// <summary>The target for the source <paramref name="name"/> (created with <paramref name="priority"/> when new).</summary>
    public SourceTickTarget TargetFor(string name, int priority) => new(sources.GetOrAdd(name, priority), arbiter, engine);
}
