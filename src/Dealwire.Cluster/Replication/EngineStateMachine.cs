using System.Buffers;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;

namespace Dealwire.Cluster.Replication;

/// <summary>
/// Where committed Raft entries land, on every replica, in log order. An entry this node proposed as leader is
/// still waiting in <see cref="ReplicatedJournal"/>: it goes to the local journal (its replies and events leave
/// when that is durable). Any other entry is a follower's: decoded and applied through the engine's replay path,
/// which journals it locally. Apply returns only once the entry is durable in the local journal, so Raft's applied
/// index never runs ahead of what a restart recovers from the data directory.
/// </summary>
internal sealed class EngineStateMachine(ReplicatedJournal journal, JournalWriter localJournal) : IStateMachine
{
    // The log starts applying committed entries as soon as it is opened, before the engine runs: they wait for it.
    private readonly TaskCompletionSource<EngineRunner> _runner = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raft log index of the last entry applied here.</summary>
    public long AppliedIndex => Interlocked.Read(ref _appliedIndex);

    private long _appliedIndex;

    public void Attach(EngineRunner runner) => _runner.TrySetResult(runner);

    public ISnapshot? Snapshot => null;

    public ValueTask ReclaimGarbageAsync(long watermark, CancellationToken token) => ValueTask.CompletedTask;

    public async ValueTask<long> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.IsConfiguration || entry.IsSnapshot)
        {
            Interlocked.Exchange(ref _appliedIndex, entry.Index);
            return entry.Index;
        }
        var payload = entry.TryGetPayload(out var bytes) ? bytes.ToArray() : [];
        if (payload.Length > 0) await ApplyBatchesAsync(payload, entry.Term, token).ConfigureAwait(false);
        Interlocked.Exchange(ref _appliedIndex, entry.Index);
        return entry.Index;
    }

    private async Task ApplyBatchesAsync(byte[] payload, long term, CancellationToken token)
    {
        var proposed = journal.TakeProposed(BatchPayload.FirstSequence(payload), term);
        if (journal.HasFaulted)
        {
            // This engine holds commands the cluster never committed: applying the log on top of them would put a
            // mixture into the local journal.
            await StoppingAsync(token).ConfigureAwait(false);
        }
        if (proposed is not null)
        {
            await proposed.ConfigureAwait(false);
            return;
        }
        var commands = BatchPayload.Decode(payload);
        if (commands.Count == 0) return;
        var runner = await _runner.Task.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await runner.ApplyReplicatedAsync(commands, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The log does not replay here: it committed another leader's commands where this engine applied its own, it
            // skips a sequence, or a command failed that the leader applied. Same end as a failed proposal: stop, and
            // recover committed state from the journal on restart.
            journal.FailStop(ex, "This engine cannot apply the committed log");
            await StoppingAsync(token).ConfigureAwait(false);
        }
        await localJournal.WaitForDurableAsync(commands[^1].Sequence, token).ConfigureAwait(false);
    }

    /// <summary>The process is stopping (fail-stop): apply nothing more until then.</summary>
    private static Task StoppingAsync(CancellationToken token) => Task.Delay(Timeout.Infinite, token);
}
