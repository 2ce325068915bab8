namespace Dealwire.Feeds.Sources;

/// <summary>
/// The target one source's feed writes to: the arbiter first (is this source active for the symbol?), then the
/// shared target (quote filter, engine queue). Counts each outcome on the source's health.
/// </summary>
public sealed class SourceTickTarget(FeedSource source, SourceArbiter arbiter, IWaitingTickTarget engine) : IWaitingTickTarget
{
    public FeedSource Source => source;

    public bool Offer(in RawTick tick)
    {
        if (arbiter.Arbitrate(source, tick.Symbol) == ArbiterVerdict.Standby) return false;
        return Count(engine.Offer(tick));
    }

    public async ValueTask<bool> OfferWaitingAsync(RawTick tick, CancellationToken cancellationToken)
    {
        if (arbiter.Arbitrate(source, tick.Symbol) == ArbiterVerdict.Standby) return false;
        return Count(await engine.OfferWaitingAsync(tick, cancellationToken).ConfigureAwait(false));
    }

    private bool Count(bool accepted)
    {
        if (accepted) source.CountAccepted();
        else source.CountFiltered();
        return accepted;
    }
}
