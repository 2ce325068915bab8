using Dealwire.Engine.Commands;
using Dealwire.Engine.Runtime;
using Dealwire.Feeds.Filtering;

namespace Dealwire.Feeds;

/// <summary>
/// Runs each tick through the <see cref="QuoteFilter"/>, then posts it to the engine: without waiting
/// (<see cref="Offer"/>, live feeds) or waiting for room in its queue (<see cref="OfferWaitingAsync"/>).
/// </summary>
public sealed class EngineTickTarget(EngineRunner runner, QuoteFilter filter) : IWaitingTickTarget
{
    /// <summary>The actor recorded on feed ticks.</summary>
    public const string Actor = "feed";

    public bool Offer(in RawTick tick)
    {
        if (filter.Check(tick) != QuoteVerdict.Accepted) return false;
        // A full queue drops the tick (the runner counts it): a late price is worth less than a live engine.
        return runner.TryPostTick(new ApplyTick(tick.Symbol, tick.Bid, tick.Ask, tick.Time) { Actor = Actor });
    }

    public ValueTask<bool> OfferWaitingAsync(RawTick tick, CancellationToken cancellationToken)
    {
        if (filter.Check(tick) != QuoteVerdict.Accepted) return ValueTask.FromResult(false);
        return runner.PostTickAsync(new ApplyTick(tick.Symbol, tick.Bid, tick.Ask, tick.Time) { Actor = Actor }, cancellationToken);
    }
}
