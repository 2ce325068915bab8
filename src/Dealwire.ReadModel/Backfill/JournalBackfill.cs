using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.Backfill;

/// <summary>
/// The stream's backfill: batches regenerated from the data directory (newest snapshot at or before the wanted
/// sequence, then the journal through a scratch engine) for a consumer behind the stream's in-memory window. The
/// replay runs on its own thread and stays at most a few batches ahead of the consumer. Each regenerated batch ends with
/// the <see cref="AccountFiguresEvent"/> the runner would derive (not journaled, so recomputed from the scratch engine).
/// </summary>
public sealed class JournalBackfill(string dataDirectory, ILogger<JournalBackfill> logger) : IStreamBackfill
{
    /// <summary>Commands per regenerated batch.</summary>
    public int BatchCommands { get; init; } = 1024;

    public async IAsyncEnumerable<CommittedBatch> ReadAsync(long afterSequence, long throughSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (throughSequence <= afterSequence) yield break;
        var channel = Channel.CreateBounded<CommittedBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var replay = Task.Factory.StartNew(() =>
        {
            try
            {
                var commands = new List<EngineCommand>(BatchCommands);
                var events = new List<EngineEvent>();
                AccountFiguresTracker? figures = null;
                void Flush()
                {
                    if (commands.Count == 0) return;
                    // As the runner closes a live batch: the figures of every account the batch changed, with their
                    // open positions, so a projection keeping equity and margin (the live view, the Manager API's
                    // calculations) is as current after a backfill as after live batches. Interval 0: every
                    // regenerated batch has its round (they are large and few).
                    if (figures?.Collect(events, commands[^1].Sequence) is { } f) events.Add(f);
                    var batch = new CommittedBatch(commands[0].Sequence, commands[^1].Sequence, commands.ToArray(), events.ToArray());
                    commands.Clear();
                    events.Clear();
                    // Blocks this replay thread (never a pool thread's async loop) while the consumer is busy.
                    channel.Writer.WriteAsync(batch, stop.Token).AsTask().GetAwaiter().GetResult();
                }
                JournalReplayer.Replay(dataDirectory, afterSequence, throughSequence, (command, produced) =>
                {
                    commands.Add(command);
                    events.AddRange(produced);
                    if (commands.Count >= BatchCommands) Flush();
                }, logger, engine => figures = new AccountFiguresTracker(engine, intervalMs: 0), stop.Token);
                Flush();
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken)) yield return batch;
        }
        finally
        {
            await stop.CancelAsync();
            try { await replay; } catch (OperationCanceledException) { }
        }
    }
}
