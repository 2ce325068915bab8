using System.Collections.Concurrent;
using System.Threading.Channels;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging;

namespace Dealwire.Cluster.Replication;

/// <summary>
/// The journal hook of a replica. The leader's engine hands its batches here exactly as it hands them to the local
/// journal in single-node mode; they are proposed to Raft in order, batches queued behind an in-flight proposal
/// travelling together as ONE entry (the group commit of the replicated log). When the cluster commits the entry,
/// the state machine passes the batches to the local journal, which releases replies and events once they are
/// durable here too: nothing leaves before a majority holds it. Batches the engine applied from the committed log
/// (<see cref="CommitBatch.IsReplicated"/>) go straight to the local journal.
/// </summary>
/// <remarks>
/// A proposal that fails (this node lost leadership, or the quorum) leaves the engine's memory ahead of the committed
/// log: every waiting caller gets the error and <see cref="Faulted"/> fires, so the host stops the process and a
/// restart recovers only committed state (the local journal never holds an uncommitted batch). That is the fence: a
/// deposed leader cannot acknowledge anything, and cannot keep state the new leader never saw.
/// </remarks>
internal sealed class ReplicatedJournal : ICommandJournal, ICommandGate, IAsyncDisposable
{
    private readonly ICommandJournal _local;
    private readonly JournalWriter _localWriter;
    private readonly ILogger _logger;
    private readonly Channel<object> _proposals = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, Proposal> _inFlight = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private IConsensusLog? _cluster;
    private Func<long>? _appliedIndex;
    private volatile bool _accepting;
    private volatile string _refusal = "no leader is elected yet; retry shortly";
    private volatile Exception? _fault;

    public ReplicatedJournal(ICommandJournal local, JournalWriter localWriter, ILogger logger)
    {
        _local = local;
        _localWriter = localWriter;
        _logger = logger;
    }

    /// <summary>Raised once when a proposal fails after the engine applied it; the host must stop the process.</summary>
    public event Action<Exception>? Faulted;

    /// <summary>True while this node leads a term whose earlier entries it has applied: only then may it sequence commands.</summary>
    public bool Accepting => _accepting;

    /// <summary>The term of the leadership in which this node accepts commands; 0 while it does not.</summary>
    public long AcceptingTerm => _accepting ? Volatile.Read(ref _acceptingTerm) : 0;

    // The term this node opened as leader (DotNext's first term is 0, so "none" is -1).
    private long _acceptingTerm = -1;

    public string? Refusal => _accepting ? null : _refusal;

    public bool HasFaulted => _fault is not null;

    /// <summary>Proposals committed by the cluster (metrics).</summary>
    public long Proposed => Interlocked.Read(ref _proposed);

    private long _proposed;

    public void Start(IConsensusLog cluster, Func<long> appliedIndex)
    {
        _cluster = cluster;
        _appliedIndex = appliedIndex;
        _loop = Task.Run(ProposeLoopAsync);
    }

    /// <summary>Called by the engine thread, in order.</summary>
    public void Append(CommitBatch batch)
    {
        if (batch.IsReplicated)
        {
            _local.Append(batch);
            return;
        }
        if (_fault is { } fault)
        {
            batch.Fail(new IOException("This replica stopped sequencing commands after a failed proposal.", fault));
            return;
        }
        _proposals.Writer.TryWrite(batch);
    }

    /// <summary>
    /// This node leads <paramref name="term"/> (read as DotNext reports the leadership, before any later term can have
    /// reached it): once the entries before it are applied, it may sequence commands in that term.
    /// </summary>
    public void OnLeadershipGained(long term) => _proposals.Writer.TryWrite(new TermStart(term));

    /// <summary>Leadership moved (or is unknown): refuse at once; <paramref name="refusal"/> says where to go.</summary>
    public void OnLeadershipLost(string refusal)
    {
        _refusal = refusal;
        _accepting = false;
    }

    public void SetRefusal(string refusal) => _refusal = refusal;

    /// <summary>
    /// The state machine found the committed entry starting at <paramref name="firstSequence"/>, written in
    /// <paramref name="term"/>: when this node proposed it, the batches go to the local journal now and the returned task
    /// completes when they are durable; null when it is another leader's. A proposal of ours whose sequence a committed
    /// entry of another term took was never committed (another leader's log replaced it): this replica faults, and
    /// <see cref="HasFaulted"/> tells the state machine to apply nothing more.
    /// </summary>
    public Task? TakeProposed(long firstSequence, long term)
    {
        if (!_inFlight.TryRemove(firstSequence, out var proposal)) return null;
        if (proposal.Term != term)
        {
            Fault(new InvalidOperationException($"the committed entry at sequence {firstSequence} is of term {term}, not of this node's proposal in term {proposal.Term}"), proposal);
            return null;
        }
        foreach (var batch in proposal.Batches) _local.Append(batch);
        var durable = _localWriter.WaitForDurableAsync(proposal.LastSequence);
        durable.ContinueWith(t => proposal.Applied.TrySetResult(), TaskScheduler.Default);
        return durable;
    }

    private async Task ProposeLoopAsync()
    {
        var reader = _proposals.Reader;
        var group = new List<CommitBatch>();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                group.Clear();
                TermStart? termStart = null;
                while (group.Count < 1024 && reader.TryRead(out var item))
                {
                    if (item is TermStart start) { termStart = start; break; }
                    group.Add((CommitBatch)item);
                }
                if (group.Count > 0) await ProposeAsync(group).ConfigureAwait(false);
                if (termStart is not null) await StartTermAsync(termStart.Term).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        foreach (var pending in group) pending.Fail(new ObjectDisposedException(nameof(ReplicatedJournal), "The replica is stopping."));
        while (reader.TryRead(out var left))
        {
            if (left is CommitBatch batch) batch.Fail(new ObjectDisposedException(nameof(ReplicatedJournal), "The replica is stopping."));
        }
    }

    private async Task ProposeAsync(List<CommitBatch> group)
    {
        var commands = group.SelectMany(b => b.Commands).ToList();
        if (_fault is { } fault)
        {
            foreach (var batch in group) batch.Fail(new IOException("This replica stopped sequencing commands after a failed proposal.", fault));
            return;
        }
        if (commands.Count == 0)
        {
            // Only replies (rejections): nothing to replicate; the previous proposal is durable, so order holds.
            foreach (var batch in group) _local.Append(batch);
            return;
        }
        var cluster = _cluster!;
        // The entry carries the term these commands were sequenced in, never a later one. Raft takes two entries with
        // the same index and term for the same entry: stamped with the term a new leader has already started (DotNext
        // raises its term a moment before it leaves the leader state, and still appends meanwhile), our entry would stand
        // in our log where the new leader's differs, and be applied here as committed.
        var term = Volatile.Read(ref _acceptingTerm);
        var proposal = new Proposal([.. group], commands[^1].Sequence, term);
        if (cluster.Term != term) // also when this node never opened a term (-1)
        {
            Fault(new InvalidOperationException($"the leadership these commands were sequenced in (term {term}) has ended; the cluster is at term {cluster.Term}"), proposal);
            return;
        }
        _inFlight[commands[0].Sequence] = proposal;
        try
        {
            var entry = new BinaryLogEntry { Content = BatchPayload.Encode(commands), Term = proposal.Term };
            // Returns once a majority holds the entry durably and it is committed (throws when this node is deposed). False
            // when the term moved meanwhile: the entry at its index may be ours or a new leader's, which the state machine
            // tells by the entry's term when it applies that index (TakeProposed), completing or faulting the proposal.
            await cluster.ReplicateAsync(entry, _stop.Token).ConfigureAwait(false);
            await proposal.Applied.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _proposed);
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            if (_inFlight.TryRemove(commands[0].Sequence, out _))
            {
                Fault(ex, proposal);
            }
            else
            {
                // Taken by the state machine: committed and handed to the local journal, which answers the callers itself,
                // or found replaced by another leader's entry, which faulted this replica there.
                await proposal.Applied.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Fault(Exception error, Proposal proposal)
    {
        // Fail-stop first: a caller that hears of the failure and retries at once must find this replica refusing, not
        // still accepting (and a clean-clone run saw the caller's continuation run before the fault was recorded).
        FailStop(error, "A proposal failed after the engine applied it");
        var failure = new IOException("The cluster did not commit this command (this node lost its leadership); its outcome is unknown, retry on the leader.", error);
        foreach (var batch in proposal.Batches) batch.Fail(failure);
        proposal.Applied.TrySetException(failure);
    }

    /// <summary>
    /// The engine's memory is ahead of the committed log (a proposal failed, or the log committed another leader's
    /// commands where this engine applied its own): refuse everything from now on and raise <see cref="Faulted"/>, once.
    /// </summary>
    public void FailStop(Exception error, string what)
    {
        _accepting = false;
        if (Interlocked.CompareExchange(ref _fault, error, null) is not null) return;
        _logger.LogCritical(error, "{What}; this replica stops and recovers committed state on restart", what);
        Faulted?.Invoke(error);
    }

    /// <summary>
    /// A leader may sequence only after it has applied every entry committed before its term: it commits an empty
    /// entry of its own term (which commits everything before it), then waits until the state machine applied it.
    /// </summary>
    private async Task StartTermAsync(long term)
    {
        var cluster = _cluster!;
        try
        {
            // LeaderChanged fires before the transition to leader completes: wait for the token of this leadership.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(5));
            var leadership = await cluster.WaitForLeadershipAsync(wait.Token).ConfigureAwait(false);
            if (cluster.Term != term)
            {
                // A later term began meanwhile: the marker must not carry it (see ProposeAsync), nor may this one open.
                _logger.LogInformation("The leadership of term {Term} ended before this node could open it (the cluster is at term {Now})", term, cluster.Term);
                return;
            }
            var marker = new BinaryLogEntry { Content = BatchPayload.Encode([]), Term = term };
            await cluster.ReplicateAsync(marker, leadership).ConfigureAwait(false);
            var committed = cluster.LastCommittedIndex;
            while (_appliedIndex!() < committed && !leadership.IsCancellationRequested) await Task.Delay(5, leadership).ConfigureAwait(false);
            if (leadership.IsCancellationRequested || _fault is not null) return;
            Volatile.Write(ref _acceptingTerm, term);
            _accepting = true;
            _logger.LogInformation("This replica leads term {Term} and accepts commands (log applied through index {Index})", term, committed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or NotLeaderException or InvalidOperationException && !_stop.IsCancellationRequested)
        {
            _logger.LogInformation("Leadership ended before this node could open its term: {Reason}", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _accepting = false;
        _proposals.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var proposal in _inFlight.Values)
        {
            foreach (var batch in proposal.Batches) batch.Fail(new ObjectDisposedException(nameof(ReplicatedJournal), "The replica stopped before the cluster committed this command."));
        }
    }

    private sealed record Proposal(CommitBatch[] Batches, long LastSequence, long Term)
    {
        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record TermStart(long Term);
}
