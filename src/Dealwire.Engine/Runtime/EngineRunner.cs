using System.Diagnostics;
using System.Threading.Channels;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime.Diagnostics;

namespace Dealwire.Engine.Runtime;

public sealed class EngineRunnerOptions
{
    /// <summary>Capacity of the command queue; callers wait when it is full, ticks are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Most commands applied before a batch is handed to the journal.</summary>
    public int MaxBatchSize { get; set; } = 4_096;

    /// <summary>
    /// Engine-time interval (ms) between <see cref="Events.AccountFiguresEvent"/>s carrying the figures that ticks
    /// moved (equity, margin, floating profit); 0 = with every batch. Figures changed by a command go out with
    /// that command's batch regardless. See docs/read-model.md.
    /// </summary>
    public int FiguresIntervalMs { get; set; } = 200;
}

public enum EngineState { Created, Recovering, Running, Stopping, Stopped, Faulted }

/// <summary>
/// Runs a <see cref="TradingEngine"/> on one dedicated thread: the single writer. Commands, ticks and
/// queries enter through one bounded queue and are applied in order; each batch goes to the journal,
/// and its replies and events are released when the journal says it is durable.
/// </summary>
public sealed class EngineRunner : IAsyncDisposable
{
    private readonly TradingEngine _engine;
    private readonly EngineRunnerOptions _options;
    private readonly ICommandJournal _journal;
    private readonly IEngineClock _clock;
    private readonly Channel<WorkItem> _queue;
    private readonly List<IEngineEventSink> _sinks = new();
    private readonly List<IQuoteSink> _quoteSinks = new();
    private readonly List<ICommittedBatchSink> _committedSinks = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private long _lastTime;
    // The last sequence this engine took from a log (recovery at start, then commands applied from the committed log):
    // a replicated command at or below it was applied here already. Above it, what the engine holds at that sequence is
    // its own, sequenced as a leader and never committed. Engine thread only, after Start.
    private long _fromLog;
    private volatile EngineState _state = EngineState.Created;
    private long _ticksDropped;
    private readonly AccountFiguresTracker _figures;

    public EngineRunner(TradingEngine engine, ICommandJournal? journal = null, IEngineClock? clock = null, EngineRunnerOptions? options = null)
    {
        _engine = engine;
        _journal = journal ?? NoJournal.Instance;
        _clock = clock ?? SystemClock.Instance;
        _options = options ?? new EngineRunnerOptions();
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
            // The engine thread blocks on its wait (see Run): with synchronous continuations the caller that queues
            // work wakes it directly, instead of queueing that wake-up to the thread pool first (a pool hop per idle
            // engine). What runs inline the other way, on the engine thread, is a waiting writer's continuation, and
            // every writer here only goes on to await its work's own task.
            AllowSynchronousContinuations = true,
        });
        _lastTime = engine.Now;
        _figures = new AccountFiguresTracker(engine, _options.FiguresIntervalMs);
    }

    public EngineState State => _state;

    /// <summary>Ticks refused because the queue was full.</summary>
    public long TicksDropped => Interlocked.Read(ref _ticksDropped);

    /// <summary>Counters of the engine; plain longs written by the engine thread, safe to read for monitoring.</summary>
    public EngineCounters Counters => _engine.Counters;

    /// <summary>The engine's checkpoint outcomes (replication divergence check); safe to read from any thread.</summary>
    public Core.CheckpointMonitor Checkpoints => _engine.Checkpoints;

    /// <summary>Work items waiting in the queue (monitoring).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Registers a consumer of events; call before <see cref="Start"/>.</summary>
    public void AddEventSink(IEngineEventSink sink) => _sinks.Add(sink);

    /// <summary>Registers the committed stream (each durable batch, whole, in order); call before <see cref="Start"/>.</summary>
    public void AddCommittedSink(ICommittedBatchSink sink) => _committedSinks.Add(sink);

    /// <summary>Registers a consumer of accepted raw ticks; call before <see cref="Start"/>.</summary>
    public void AddQuoteSink(IQuoteSink sink) => _quoteSinks.Add(sink);

    /// <summary>
    /// Whether the readers of any quote sink are behind (<see cref="IQuoteSink.ReadersBehind"/>): what an as-fast-as-possible
    /// replay waits on, so that it plays at the pace quotes are delivered instead of producing ticks only to conflate them.
    /// </summary>
    public bool QuoteReadersBehind
    {
        get
        {
            // By index: sinks are registered before Start, and a feed may ask from its own thread.
            for (var i = 0; i < _quoteSinks.Count; i++)
            {
                if (_quoteSinks[i].ReadersBehind) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Set before <see cref="Start"/> by a replica: while it refuses, every command and tick is turned away before it
    /// is stamped (commands get <see cref="ReturnCode.NotLeader"/>); null in single-node mode.
    /// </summary>
    public ICommandGate? Gate { get; set; }

    /// <summary>Set before <see cref="Start"/> on a gateway node: commands go to the leader (see <see cref="ICommandForwarder"/>).</summary>
    public ICommandForwarder? Forwarder { get; set; }

    /// <summary>Set before <see cref="Start"/> to keep the results of commands applied from the committed log (a gateway node's answers).</summary>
    public ReplicatedOutcomes? Outcomes { get; set; }

    /// <summary>Per-group price adjustments, republished by the engine whenever symbols or groups change.</summary>
    public PricingTable Pricing => _engine.Pricing;

    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("The engine is already running.");
        _state = EngineState.Running;
        _fromLog = _engine.LastSequence;
        Outcomes?.Start(_engine.LastSequence);
        EngineMetrics.Observe(this);
        _thread = new Thread(Run) { Name = "dealwire-engine", IsBackground = true, Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Applies a command and returns its outcome once it is durable.</summary>
    public Task<CommandResult<T>> SubmitAsync<T>(EngineCommand<T> command, CancellationToken cancellationToken = default) =>
        SubmitWorkAsync<T>(command, cancellationToken);

    /// <summary>Applies a command of any result type (a mixed list, such as the embedded default); the value comes back untyped.</summary>
    public Task<CommandResult<object>> SubmitAsync(EngineCommand command, CancellationToken cancellationToken = default) =>
        SubmitWorkAsync<object>(command, cancellationToken);

    private Task<CommandResult<T>> SubmitWorkAsync<T>(EngineCommand command, CancellationToken cancellationToken)
    {
        if (_state != EngineState.Running) return Task.FromResult(new CommandResult<T>(ReturnCode.ErrShutdown, "The engine is not running.", default));
        if (Forwarder is { } forwarder) return ForwardAsync<T>(forwarder, command, cancellationToken);
        var work = new CommandWork<T>(command);
        // The queue has room almost always: hand back the work's own task, with no state machine of ours around it
        // (its completion already runs the caller's continuation on the pool, so the hops are the same).
        if (!cancellationToken.IsCancellationRequested && _queue.Writer.TryWrite(work)) return work.Task;
        return WriteThenAwaitAsync(work, cancellationToken);
    }

    private static async Task<CommandResult<T>> ForwardAsync<T>(ICommandForwarder forwarder, EngineCommand command, CancellationToken cancellationToken)
    {
        var result = await forwarder.ForwardAsync(command, cancellationToken).ConfigureAwait(false);
        return new CommandResult<T>(result.Code, result.Message, result.Value is T value ? value : default) { Sequence = result.Sequence };
    }

    /// <summary>The queue is full (back-pressure), closed, or the caller gave up: the awaiting path.</summary>
    private async Task<CommandResult<T>> WriteThenAwaitAsync<T>(CommandWork<T> work, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Task.ConfigureAwait(false);
    }

    /// <summary>Queues a tick without waiting; false (and counted) when the queue is full.</summary>
    public bool TryPostTick(ApplyTick tick)
    {
        if (_state == EngineState.Running && _queue.Writer.TryWrite(new TickWork(tick))) return true;
        Interlocked.Increment(ref _ticksDropped);
        return false;
    }

    /// <summary>
    /// Queues a tick, waiting while the queue is full: back-pressure for a source that can wait (a replay
    /// played as fast as possible) instead of dropping. False when the engine is not running.
    /// </summary>
    public async ValueTask<bool> PostTickAsync(ApplyTick tick, CancellationToken cancellationToken = default)
    {
        var work = new TickWork(tick);
        while (_state == EngineState.Running)
        {
            if (_queue.Writer.TryWrite(work)) return true;
            // Poll instead of WriteAsync: a waiting writer is woken once per freed slot (a thread-pool
            // hop per tick, competing with every connection's I/O); a poll refills the queue in bulk.
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Runs a read-only function on the engine thread, between commands.</summary>
    public async Task<T> QueryAsync<T>(Func<IEngineReader, T> query, CancellationToken cancellationToken = default)
    {
        var work = new QueryWork<T>(query);
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Like <see cref="QueryAsync{T}"/>, but first hands the batch being filled to the journal, so the state read is
    /// exactly that after a committed batch: a projection seeded from it follows the stream from
    /// <see cref="IEngineReader.LastSequence"/> with no batch straddling the seam.
    /// </summary>
    public async Task<T> QueryAtBatchEdgeAsync<T>(Func<IEngineReader, T> query, CancellationToken cancellationToken = default)
    {
        var work = new QueryWork<T>(query, cutsBatch: true);
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Task.ConfigureAwait(false);
    }

    /// <summary>Runs a function with full access to the engine on its thread (snapshots, recovery checks).</summary>
    public async Task<T> ExclusiveAsync<T>(Func<TradingEngine, T> action, CancellationToken cancellationToken = default)
    {
        var work = new QueryWork<T>(_ => action(_engine));
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Applies commands the cluster's leader sequenced and the cluster committed, as recovery replays a journal: each
    /// keeps its sequence and time; those this engine already took from the log (recovered from its journal, or applied
    /// from the log before) are skipped. They form one batch of their own, marked <see cref="CommitBatch.IsReplicated"/>,
    /// released (journaled locally, published to the committed stream) like any other. Completes with the engine's
    /// sequence once that batch is durable.
    /// </summary>
    /// <exception cref="ReplicatedLogConflictException">
    /// The engine holds commands of its own at some of these sequences (it sequenced them as a leader and the cluster
    /// committed others there), or the commands do not continue its sequence. Nothing is applied; the replica must stop.
    /// </exception>
    public async Task<long> ApplyReplicatedAsync(IReadOnlyList<EngineCommand> commands, CancellationToken cancellationToken = default)
    {
        var work = new ReplicatedWork(commands);
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Task.ConfigureAwait(false);
    }

    /// <summary>Stops taking work, applies what is queued, and waits for the engine thread to end.</summary>
    public async Task StopAsync()
    {
        if (_thread is null) return;
        _state = EngineState.Stopping;
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        _state = EngineState.Stopped;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void Run()
    {
        var reader = _queue.Reader;
        var batch = new CommitBatch(_sinks, _committedSinks);
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var work))
                {
                    if (batch.Size > 0) batch = Close(batch);
                    // Blocking here is the point: this thread does nothing else.
                    if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                    continue;
                }

                if (work is QueryWork { CutsBatch: true } or ReplicatedWork && batch.Size > 0) batch = Close(batch);
                work.Execute(this, batch);
                if (batch.IsReplicated) batch = Close(batch);
                if (batch.Size >= _options.MaxBatchSize) batch = Close(batch);
            }
            if (batch.Size > 0) Close(batch);
            _stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            _state = EngineState.Faulted;
            _stopped.TrySetException(ex);
            Faulted?.Invoke(ex);
        }
    }

    /// <summary>
    /// Raised on the engine thread, once, when it stops on an error (a replicated command the engine refused, a bug):
    /// nothing more is applied, so the host stops the process and a restart recovers from the journal.
    /// </summary>
    public event Action<Exception>? Faulted;

    /// <summary>Adds the batch's derived account figures, hands it to the journal, and starts the next one.</summary>
    private CommitBatch Close(CommitBatch batch)
    {
        if (batch.CommandCount > 0 && _figures.Collect(batch.Events, batch.LastSequence) is { } figures) batch.AddDerivedEvent(figures);
        _journal.Append(batch);
        return new CommitBatch(_sinks, _committedSinks);
    }

    private long NextTime()
    {
        var now = _clock.UnixMilliseconds();
        if (now < _lastTime) now = _lastTime;
        _lastTime = now;
        return now;
    }

    /// <summary>Stamps and applies a command; journals it when it changed state.</summary>
    private (ReturnCode Code, string Message, object? Value) Apply(EngineCommand command, CommitBatch batch)
    {
        if (Gate?.Refusal is { } refusal) return (ReturnCode.NotLeader, refusal, null);
        var time = NextTime();
        // Time passes before the command does: a rollover or an expiry due by now is processed first, as a
        // journaled AdvanceTime of its own, so the command sees it (a close just after the rollover carries
        // the night's swap) even if no tick or clock command came in between. Ticks do this themselves.
        if (command is not (AdvanceTime or ApplyTick) && _engine.IsTimeDue(time)) Apply(new AdvanceTime { Actor = AdvanceTime.ClockActor }, time, batch);
        return Apply(command, time, batch);
    }

    private (ReturnCode Code, string Message, object? Value) Apply(EngineCommand command, long time, CommitBatch batch)
    {
        command.Stamp(_engine.LastSequence + 1, time);
        var outcome = _engine.Execute(command);
        // Only commands that changed state are journaled; rejections and no-ops change nothing to replay.
        if (outcome.Code == ReturnCode.Ok)
        {
            batch.AddCommand(command, _engine.LastEvents);
            // Quotes go out at once, however the tick arrived: a price is not an acknowledgement, so it
            // need not wait for the journal.
            if (command is ApplyTick)
            {
                var (symbol, quote) = _engine.LastTick;
                foreach (var sink in _quoteSinks) sink.OnQuote(symbol, quote);
            }
        }
        return outcome;
    }

    private abstract class WorkItem
    {
        public abstract void Execute(EngineRunner runner, CommitBatch batch);
    }

    private sealed class CommandWork<T>(EngineCommand command) : WorkItem, IPendingReply
    {
        private readonly TaskCompletionSource<CommandResult<T>> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CommandResult<T> _result;

        public Task<CommandResult<T>> Task => _tcs.Task;

        public ActivityContext TraceParent { get; } = EngineTracing.CaptureParent();

        public override void Execute(EngineRunner runner, CommitBatch batch)
        {
            try
            {
                using var span = EngineTracing.StartApply(TraceParent, command);
                var (code, message, value) = runner.Apply(command, batch);
                EngineMetrics.Rejected(code);
                _result = new CommandResult<T>(code, message, value is T t ? t : default) { Sequence = runner._engine.LastSequence };
                batch.AddReply(this);
            }
            catch (Exception ex)
            {
                // A command that throws is a bug; the caller must hear about it rather than hang.
                _tcs.TrySetException(ex);
                throw;
            }
        }

        public void Complete(Exception? failure)
        {
            if (failure is null) _tcs.TrySetResult(_result);
            else _tcs.TrySetException(failure);
        }
    }

    private sealed class ReplicatedWork(IReadOnlyList<EngineCommand> commands) : WorkItem, IPendingReply
    {
        private readonly TaskCompletionSource<long> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private List<(long, object)>? _values;
        private ReplicatedOutcomes? _outcomes;
        private long _sequence;

        public Task<long> Task => _tcs.Task;

        public ActivityContext TraceParent => default;

        public override void Execute(EngineRunner runner, CommitBatch batch)
        {
            try
            {
                var engine = runner._engine;
                if (ReplicatedLogConflictException.Check(commands, runner._fromLog, engine.LastSequence) is { } conflict)
                {
                    // Nothing applied: the engine stays as it was, and the caller stops the replica.
                    _tcs.TrySetException(conflict);
                    return;
                }
                foreach (var command in commands)
                {
                    if (command.Sequence <= engine.LastSequence) continue;
                    var (code, message, value) = engine.Execute(command);
                    if (code is not (ReturnCode.Ok or ReturnCode.OkNone) || engine.LastSequence != command.Sequence)
                    {
                        // The committed log no longer replays here: this replica has diverged and must stop.
                        throw new InvalidOperationException(
                            $"Replicated command {command.Sequence} ({command.GetType().Name}) gave {code} '{message}' at engine sequence {engine.LastSequence}");
                    }
                    batch.AddCommand(command, engine.LastEvents);
                    if (command.Time > runner._lastTime) runner._lastTime = command.Time;
                    if (command is ApplyTick)
                    {
                        // A node following the log streams the prices it applies to its own clients.
                        var (symbol, quote) = engine.LastTick;
                        foreach (var sink in runner._quoteSinks) sink.OnQuote(symbol, quote);
                    }
                    else if (value is not null && runner.Outcomes is not null)
                    {
                        (_values ??= []).Add((command.Sequence, value));
                    }
                }
                _sequence = engine.LastSequence;
                // Past the check, the last command was either applied or already taken from a log; the engine's sequence
                // may be further on, at commands of its own (an entry delivered again while it led).
                if (commands.Count > 0) runner._fromLog = Math.Max(runner._fromLog, commands[^1].Sequence);
                _outcomes = runner.Outcomes;
                if (batch.CommandCount == 0)
                {
                    _tcs.TrySetResult(_sequence);
                    return;
                }
                batch.IsReplicated = true;
                batch.AddReply(this);
            }
            catch (Exception ex)
            {
                _tcs.TrySetException(ex);
                throw;
            }
        }

        public void Complete(Exception? failure)
        {
            if (failure is not null)
            {
                _tcs.TrySetException(failure);
                return;
            }
            _outcomes?.Release(_values ?? [], _sequence);
            _tcs.TrySetResult(_sequence);
        }
    }

    private sealed class TickWork(ApplyTick tick) : WorkItem
    {
        public override void Execute(EngineRunner runner, CommitBatch batch) => runner.Apply(tick, batch);
    }

    private abstract class QueryWork(bool cutsBatch) : WorkItem
    {
        /// <summary>The batch being filled is journaled before the query runs (see <see cref="QueryAtBatchEdgeAsync{T}"/>).</summary>
        public bool CutsBatch => cutsBatch;
    }

    private sealed class QueryWork<T>(Func<IEngineReader, T> query, bool cutsBatch = false) : QueryWork(cutsBatch)
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _tcs.Task;

        public override void Execute(EngineRunner runner, CommitBatch batch)
        {
            try
            {
                _tcs.TrySetResult(query(runner._engine));
            }
            catch (Exception ex)
            {
                _tcs.TrySetException(ex);
            }
        }
    }
}
