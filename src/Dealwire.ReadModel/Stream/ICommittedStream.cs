using Dealwire.Engine.Runtime;

namespace Dealwire.ReadModel.Stream;

/// <summary>
/// The committed event stream: every durable journal batch, published once, in sequence order, off the
/// journal thread. A consumer subscribes from a sequence; batches it missed (it started behind the live
/// edge, or after a restart) are regenerated from the journal and snapshots before live batches follow,
/// with nothing lost or repeated at the seam.
/// </summary>
public interface ICommittedStream
{
    /// <summary>Last sequence published to consumers (0 before the first batch).</summary>
    long PublishedSequence { get; }

    /// <summary>
    /// Delivers every batch whose sequences are above <paramref name="afterSequence"/> to <paramref name="consumer"/>,
    /// one at a time, in order. Dispose the subscription to stop. <paramref name="name"/> labels the consumer in
    /// lag metrics (<c>dealwire_stream_consumer_lag</c>) and <c>/health</c>.
    /// </summary>
    IDisposable Subscribe(string name, long afterSequence, ICommittedConsumer consumer);

    /// <summary>
    /// Keeps every batch above <paramref name="afterSequence"/> in memory until the returned hold is disposed, for a
    /// consumer that will subscribe from there once it is ready (the history projector opens its database first).
    /// Without it, batches the other consumers have read are let go, and a late subscriber needs the journal's
    /// backfill, which a server without a journal (<c>Durability None</c>) does not have. Bounded like a lagging
    /// consumer: past the window, the ring overwrites what a hold waits for.
    /// </summary>
    IDisposable Hold(long afterSequence);

    /// <summary>Every live subscription: its position and lag in sequences (what <c>/health</c> shows).</summary>
    IReadOnlyList<StreamConsumerStatus> GetConsumers();
}

/// <summary>A consumer of the committed stream. Called from one task per subscription; never concurrently with itself.</summary>
public interface ICommittedConsumer
{
    ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the subscription stops by itself on <paramref name="error"/>: the consumer threw, or the
    /// batches it needed could not be read (lapped with no backfill, a journal that lacks them). Nothing more will be
    /// delivered; a consumer that serves someone else (a gateway's link) ends that service here rather than leave it
    /// waiting on a stream that will not move. Not called when the subscription is disposed.
    /// </summary>
    void OnStopped(Exception error)
    {
    }
}
