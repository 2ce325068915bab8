namespace Dealwire.ReadModel.Stream;

/// <summary>Options of the committed stream (configuration section <c>Stream</c>).</summary>
public sealed class CommittedStreamOptions
{
    /// <summary>
    /// At most this many batches are held in memory for consumers that lag (rounded up to a power of two). A
    /// consumer that falls further behind is served from the <see cref="IStreamBackfill"/> until it catches up.
    /// Default 16 384: with ticks arriving one per batch at 5 000/s, about three seconds of slack for a consumer
    /// that stalls. Only a lagging consumer keeps batches this long; see <see cref="RetainSequences"/>.
    /// </summary>
    public int WindowBatches { get; set; } = 16_384;

    /// <summary>
    /// Sequences still held after every consumer has read them, so a consumer subscribing from a recent sequence (a
    /// gateway node that reconnects, or follows a new leader) joins without replaying the journal. Default 4 096:
    /// counted in sequences, not batches, so what is held weighs the same whether batches carry one tick or fifty
    /// commands (about 0.2 s of a full round-trip load, several seconds of a quiet one). Older read batches are let
    /// go at once: what the stream holds grows with the slowest consumer's lag, not with the window.
    /// </summary>
    public long RetainSequences { get; set; } = 4096;

    internal void Validate()
    {
        if (WindowBatches < 2) throw new InvalidOperationException("Stream:WindowBatches must be at least 2.");
        if (RetainSequences < 0) throw new InvalidOperationException("Stream:RetainSequences must not be negative.");
    }
}

/// <summary>Where one consumer stands, for <c>/health</c> and the lag gauge.</summary>
public sealed record StreamConsumerStatus(string Name, long Sequence, long Lag, string State, string? Error);
