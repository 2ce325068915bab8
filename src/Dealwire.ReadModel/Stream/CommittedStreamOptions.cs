namespace Dealwire.ReadModel.Stream;

/// <summary>Options of the committed stream (configuration section <c>Stream</c>).</summary>
public sealed class CommittedStreamOptions
{
    /// <summary>
    /// Batches kept in memory for consumers (rounded up to a power of two). A consumer that falls further behind
    /// than this is served from the <see cref="IStreamBackfill"/> until it catches up. Default 16 384: with
    /// ticks arriving one per batch at 5 000/s, about three seconds of slack for a consumer that stalls.
    /// </summary>
    public int WindowBatches { get; set; } = 16_384;

    internal void Validate()
    {
        if (WindowBatches < 2) throw new InvalidOperationException("Stream:WindowBatches must be at least 2.");
    }
}

/// <summary>Where one consumer stands, for <c>/health</c> and the lag gauge.</summary>
public sealed record StreamConsumerStatus(string Name, long Sequence, long Lag, string State, string? Error);
