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
    /// gateway node that reconnects, or follows a new leader) joins without replaying the journal. Counted in
    /// sequences, not batches, so what is held weighs the same whether batches carry one tick or fifty commands.
    /// Unset, it is <see cref="GatewayTail"/> on a replica that serves gateway nodes (<c>Cluster:GatewayEndpoint</c>)
    /// and 0 elsewhere: the held tail is young garbage every collection must copy (4 096 sequences of a round-trip
    /// load are ≈ 4 MB promoted by each gen-0/1 collection, ≈ 8 ms of pause on 2 cores), and only a gateway link
    /// subscribes late from a recent sequence. Older read batches are let go at once: what the stream holds grows
    /// with the slowest consumer's lag, not with the window.
    /// </summary>
    public long? RetainSequences { get; set; }

    /// <summary>The tail held by default on a replica that serves gateway nodes: ≈ 0.2 s of a full round-trip load, several seconds of a quiet cluster.</summary>
    public const long GatewayTail = 4096;

    internal void Validate()
    {
        if (WindowBatches < 2) throw new InvalidOperationException("Stream:WindowBatches must be at least 2.");
        if (RetainSequences is < 0) throw new InvalidOperationException("Stream:RetainSequences must not be negative.");
    }
}

/// <summary>Where one consumer stands, for <c>/health</c> and the lag gauge.</summary>
public sealed record StreamConsumerStatus(string Name, long Sequence, long Lag, string State, string? Error);
