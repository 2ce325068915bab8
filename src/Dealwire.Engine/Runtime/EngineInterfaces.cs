using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Runtime;

/// <summary>Where the engine's events go. Called in commit order from one thread; must not block.</summary>
public interface IEngineEventSink
{
    void OnEvents(IReadOnlyList<EngineEvent> events);
}

/// <summary>
/// Receives each durable batch as one <see cref="CommittedBatch"/>, in sequence order, on the thread that releases
/// it (the journal's), before the batch's replies complete. Must not block: the committed stream only enqueues.
/// </summary>
public interface ICommittedBatchSink
{
    void OnCommitted(CommittedBatch batch);
}

/// <summary>Receives every accepted raw tick. Called on the engine thread; must not block or allocate much.</summary>
public interface IQuoteSink
{
    void OnQuote(string symbol, in Quote quote);

    /// <summary>
    /// True while most of this sink's readers have more quotes waiting than they take (their sockets set the pace).
    /// Read from a feed's thread, so it must be cheap and thread-safe; sinks without readers of their own say false.
    /// </summary>
    bool ReadersBehind => false;
}

/// <summary>Wall-clock source for stamping commands; lives outside the engine so replays are exact.</summary>
public interface IEngineClock
{
    long UnixMilliseconds();
}

public sealed class SystemClock : IEngineClock
{
    public static readonly SystemClock Instance = new();

    public long UnixMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>
/// Durability hook. The runner calls <see cref="Append"/> on the engine thread, in order, with each
/// batch of applied state-changing commands. The journal must call <see cref="CommitBatch.Release"/>
/// for every batch, in the same order, once the batch is as durable as its mode promises: only then do
/// replies and events leave the server.
/// </summary>
public interface ICommandJournal
{
    void Append(CommitBatch batch);
}

/// <summary>A journal that keeps nothing: replies leave at once. For tests and benchmarks.</summary>
public sealed class NoJournal : ICommandJournal
{
    public static readonly NoJournal Instance = new();

    public void Append(CommitBatch batch) => batch.Release();
}
