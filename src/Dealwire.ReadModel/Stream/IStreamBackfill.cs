using Dealwire.Engine.Runtime;

namespace Dealwire.ReadModel.Stream;

/// <summary>
/// Regenerates committed batches that are no longer in the stream's in-memory window, from the journal and
/// snapshots: what a consumer that starts behind the live edge (or falls out of the window) reads first.
/// </summary>
public interface IStreamBackfill
{
    /// <summary>
    /// Yields batches covering exactly the sequences (<paramref name="afterSequence"/>, <paramref name="throughSequence"/>],
    /// contiguous and in order, with the events the engine produced for them. Batch boundaries are the
    /// backfill's choice (they need not match the live ones); the last batch ends at <paramref name="throughSequence"/>.
    /// </summary>
    IAsyncEnumerable<CommittedBatch> ReadAsync(long afterSequence, long throughSequence, CancellationToken cancellationToken);
}

/// <summary>A consumer asked for batches the stream no longer holds in memory and no backfill is registered.</summary>
public sealed class StreamGapException(string consumer, long afterSequence, long availableFrom)
    : InvalidOperationException($"Stream consumer '{consumer}' needs batches after sequence {afterSequence}, but the stream holds only sequences from {availableFrom} and no IStreamBackfill is registered to read the journal.")
{
    public string Consumer { get; } = consumer;

    public long AfterSequence { get; } = afterSequence;
}
