using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Backfill;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.History;

/// <summary>
/// <c>dealwire history rebuild</c>: empties the store and projects the whole journal into it again (snapshots are not
/// used: history before the newest snapshot lives only in the journal). The server should be stopped: a running
/// projector and the rebuild would both move <c>projector_state</c>, and the sequence guard stops whichever comes second.
/// </summary>
public static class HistoryRebuild
{
    public sealed record Result(long LastSequence, long Commands);

    public static async Task<Result> RunAsync(IHistoryStore store, string dataDirectory, int commandsPerTransaction = 20_000,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        await store.OpenAsync(cancellationToken);
        await store.ResetAsync(cancellationToken);
        var backfill = new JournalBackfill(dataDirectory, NullLogger<JournalBackfill>.Instance);
        var pending = new List<CommittedBatch>();
        long commands = 0;
        var inPending = 0;
        await foreach (var batch in backfill.ReadAsync(0, long.MaxValue, cancellationToken))
        {
            pending.Add(batch);
            inPending += batch.Commands.Count;
            if (inPending < commandsPerTransaction) continue;
            commands += await FlushAsync(store, pending, cancellationToken);
            inPending = 0;
            logger?.LogInformation("History rebuilt through sequence {Sequence}", store.AppliedSequence);
        }
        commands += await FlushAsync(store, pending, cancellationToken);
        return new Result(store.AppliedSequence, commands);
    }

    private static async Task<long> FlushAsync(IHistoryStore store, List<CommittedBatch> pending, CancellationToken ct)
    {
        var changes = HistoryChanges.From(pending);
        pending.Clear();
        await store.ApplyAsync(changes, ct);
        return changes.Commands;
    }
}
