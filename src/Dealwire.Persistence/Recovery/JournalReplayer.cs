using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Persistence.Snapshots;
using Microsoft.Extensions.Logging;

namespace Dealwire.Persistence.Recovery;

/// <summary>
/// Regenerates what the engine did for a range of journal sequences, for consumers that start behind the live stream
/// (the history projector, <c>dealwire history rebuild</c>): a scratch engine is restored from the newest snapshot at or
/// before the range and replays the journal, and every command in the range is handed over with the events it produced.
/// Only reads the data directory, so it runs beside a live server.
/// </summary>
public static class JournalReplayer
{
    /// <summary>
    /// Calls <paramref name="onCommand"/> for every journaled command with sequence in (<paramref name="afterSequence"/>,
    /// <paramref name="throughSequence"/>], in order, with a copy of its events. Returns the last sequence delivered.
    /// </summary>
    public static long Replay(string dataDir, long afterSequence, long throughSequence, Action<EngineCommand, IReadOnlyList<EngineEvent>> onCommand,
        ILogger logger, CancellationToken cancellationToken = default) =>
        Replay(dataDir, afterSequence, throughSequence, onCommand, logger, null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="beforeFirst"/> gets the scratch engine once it stands at <paramref name="afterSequence"/>,
    /// before the first delivered command runs (to read derived figures from it as the runner does from the live engine).
    /// </summary>
    public static long Replay(string dataDir, long afterSequence, long throughSequence, Action<EngineCommand, IReadOnlyList<EngineEvent>> onCommand,
        ILogger logger, Action<TradingEngine>? beforeFirst, CancellationToken cancellationToken = default)
    {
        var (engine, from) = ScratchEngine(dataDir, afterSequence, logger);
        var started = false;
        var last = from;
        try
        {
            ReplayPipeline.Run(DataLayout.Journal(dataDir), from, checkCoveredSegments: false, record =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var command = record.Command;
                if (command.Sequence > throughSequence) throw new ReplayDone();
                if (!started && command.Sequence > afterSequence)
                {
                    started = true;
                    beforeFirst?.Invoke(engine);
                }
                var (code, message, _) = engine.Execute(command);
                if (code is not (ReturnCode.Ok or ReturnCode.OkNone) || engine.LastSequence != command.Sequence)
                {
                    throw new DataCorruptionException(record.File, record.Offset,
                        $"Replaying record {command.Sequence} ({command.GetType().Name}) gave {code} '{message}'; the journal no longer replays exactly");
                }
                last = command.Sequence;
                if (command.Sequence > afterSequence) onCommand(command, engine.LastEvents.ToArray());
            });
        }
        catch (ReplayDone)
        {
        }
        if (throughSequence != long.MaxValue && last < throughSequence)
        {
            throw new InvalidOperationException($"the journal ends at sequence {last}, before the requested {throughSequence}");
        }
        return last;
    }

    /// <summary>
    /// Whether <see cref="Replay(string,long,long,Action{EngineCommand,IReadOnlyList{EngineEvent}},ILogger,CancellationToken)"/>
    /// can start after <paramref name="afterSequence"/>: a snapshot at or before it exists, or the journal still starts at or
    /// before the next sequence (retention retires segments a snapshot covers). Null when it can; otherwise why not.
    /// </summary>
    public static string? WhyCannotReplayAfter(string dataDir, long afterSequence)
    {
        if (SnapshotStore.List(DataLayout.Snapshots(dataDir)).Any(s => s.Sequence <= afterSequence)) return null;
        var segments = Journal.JournalReader.ListSegments(DataLayout.Journal(dataDir));
        if (segments.Count == 0 || segments[0].FirstSequence <= afterSequence + 1) return null;
        return $"the journal here starts at sequence {segments[0].FirstSequence} and no snapshot is at or before {afterSequence}";
    }

    /// <summary>Restored from the newest valid snapshot at or before <paramref name="afterSequence"/>, else an empty engine.</summary>
    private static (TradingEngine Engine, long From) ScratchEngine(string dataDir, long afterSequence, ILogger logger)
    {
        foreach (var (path, sequence) in SnapshotStore.List(DataLayout.Snapshots(dataDir)))
        {
            if (sequence > afterSequence) continue;
            try
            {
                var (info, engine) = SnapshotStore.LoadVerified(path);
                return (engine, info.Sequence);
            }
            catch (DataCorruptionException ex)
            {
                logger.LogWarning("Snapshot {Path} is unusable for replay, trying an older one: {Reason}", path, ex.Message);
            }
        }
        return (new TradingEngine(), 0);
    }

    private sealed class ReplayDone : Exception;
}
