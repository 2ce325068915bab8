using System.Diagnostics;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;

namespace Dealwire.Engine.Runtime;

/// <summary>A caller waiting for the outcome of its command.</summary>
internal interface IPendingReply
{
    /// <summary>Completes the caller: with its result, or with <paramref name="failure"/> when the batch could not be made durable.</summary>
    void Complete(Exception? failure);

    /// <summary>The caller's span when its command is traced (the journal's spans hang under it), else default.</summary>
    ActivityContext TraceParent { get; }
}

/// <summary>
/// Commands applied together, the replies waiting for them and the events they produced. Released
/// (events published, replies completed) only after the journal made the commands durable.
/// </summary>
public sealed class CommitBatch
{
    private readonly List<EngineCommand> _commands = new();
    private readonly List<IPendingReply> _replies = new();
    private readonly List<EngineEvent> _events = new();
    private List<ActivityContext>? _traceParents;
    private readonly IReadOnlyList<IEngineEventSink> _sinks;
    private readonly IReadOnlyList<ICommittedBatchSink> _committedSinks;
    private int _released;

    internal CommitBatch(IReadOnlyList<IEngineEventSink> sinks, IReadOnlyList<ICommittedBatchSink> committedSinks)
    {
        _sinks = sinks;
        _committedSinks = committedSinks;
    }

    /// <summary>The state-changing commands to journal, in applied order.</summary>
    public IReadOnlyList<EngineCommand> Commands => _commands;

    public IReadOnlyList<EngineEvent> Events => _events;

    public long FirstSequence => _commands.Count > 0 ? _commands[0].Sequence : 0;

    public long LastSequence => _commands.Count > 0 ? _commands[^1].Sequence : 0;

    internal int Size => _commands.Count + _replies.Count;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> time the batch got its first entry (0 while empty): engine apply time per batch.</summary>
    public long StartedTimestamp { get; private set; }

    /// <summary>Spans of the traced commands in this batch: the journal records its write and fsync under each.</summary>
    public IReadOnlyList<ActivityContext> TraceParents => _traceParents ?? (IReadOnlyList<ActivityContext>)[];

    internal void AddCommand(EngineCommand command, IReadOnlyList<EngineEvent> events)
    {
        if (StartedTimestamp == 0) StartedTimestamp = Stopwatch.GetTimestamp();
        _commands.Add(command);
        if (events.Count > 0) _events.AddRange(events);
    }

    internal void AddReply(IPendingReply reply)
    {
        if (StartedTimestamp == 0) StartedTimestamp = Stopwatch.GetTimestamp();
        if (reply.TraceParent != default) (_traceParents ??= new()).Add(reply.TraceParent);
        _replies.Add(reply);
    }

    internal int CommandCount => _commands.Count;

    /// <summary>
    /// The commands were sequenced by another replica and are already committed by the cluster: a replicated
    /// journal writes them locally instead of proposing them again (see <see cref="EngineRunner.ApplyReplicatedAsync"/>).
    /// </summary>
    public bool IsReplicated { get; internal set; }

    /// <summary>An event the runner derives after the batch's commands (account figures); it is not journaled.</summary>
    internal void AddDerivedEvent(EngineEvent derived) => _events.Add(derived);

    /// <summary>
    /// Publishes the batch to the committed stream and the events to the sinks, then completes the replies.
    /// Idempotent. The stream hears first, so a reply's sequence is never above the stream's published sequence.
    /// </summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_commands.Count > 0 && _committedSinks.Count > 0)
        {
            // The lists are never touched again after release: the record shares them instead of copying.
            var committed = new CommittedBatch(FirstSequence, LastSequence, _commands, _events);
            foreach (var sink in _committedSinks) sink.OnCommitted(committed);
        }
        if (_events.Count > 0)
        {
            foreach (var sink in _sinks) sink.OnEvents(_events);
        }
        foreach (var reply in _replies) reply.Complete(null);
    }

    /// <summary>The journal could not make the batch durable: every waiting caller gets the error, no event leaves.</summary>
    public void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        foreach (var reply in _replies) reply.Complete(error);
    }
}
