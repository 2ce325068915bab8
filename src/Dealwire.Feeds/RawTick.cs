namespace Dealwire.Feeds;

/// <summary>A price as a feed produced it, before filtering. <see cref="Time"/> is Unix milliseconds.</summary>
public readonly record struct RawTick(string Symbol, decimal Bid, decimal Ask, long Time);

/// <summary>Where a feed delivers its ticks. Implementations must be safe to call from the feed's own thread.</summary>
public interface ITickTarget
{
    /// <summary>Offers a tick; false when it was refused (filtered out or no room in the engine's queue).</summary>
    bool Offer(in RawTick tick);
}

/// <summary>A target that can make a feed wait for room instead of refusing a tick (a replay played as fast as possible).</summary>
public interface IWaitingTickTarget : ITickTarget
{
    /// <summary>Offers a tick, waiting while the engine's queue is full; false when filtered out or the engine is not running.</summary>
    ValueTask<bool> OfferWaitingAsync(RawTick tick, CancellationToken cancellationToken);
}

/// <summary>
/// A quote source. Started once, stopped once; between the two it offers ticks to its target on its
/// own schedule. All randomness and wall-clock reading lives in feeds, never in the engine.
/// </summary>
public interface IQuoteFeed : IAsyncDisposable
{
    /// <summary>A short name for logs and metrics ("synthetic", "replay").</summary>
    string Name { get; }

    /// <summary>Ticks offered so far (accepted or not).</summary>
    long TicksOffered { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}
