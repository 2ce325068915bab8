using System.Diagnostics;
using Dealwire.Engine.Core;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Snapshots;
using Microsoft.Extensions.Logging;

namespace Dealwire.Persistence.Recovery;

/// <summary>Directory layout of a data directory's durable state.</summary>
internal static class DataLayout
{
    public static string Journal(string dataDir) => Path.Combine(dataDir, "journal");

    public static string Snapshots(string dataDir) => Path.Combine(dataDir, "snapshots");

    public static string LockFile(string dataDir) => Path.Combine(dataDir, "journal", "LOCK");
}

/// <summary>The recovered engine plus what the journal writer needs to continue.</summary>
internal sealed record RecoveredState(TradingEngine Engine, RecoveryReport Report, JournalScan Scan);

/// <summary>
/// Snapshot + journal tail → engine. Shared by <see cref="DurableStore.Open"/> (which then repairs a torn
/// tail and appends) and <see cref="Tools.DataTools.Verify"/> (which only reads).
/// </summary>
internal static class Recoverer
{
    public static RecoveredState Recover(string dataDir, ILogger logger, Func<TradingEngine>? createEmpty, bool checkCoveredSegments, bool useSnapshots = true, bool hashState = true)
    {
        var clock = Stopwatch.StartNew();
        var rejected = new List<RejectedSnapshot>();
        var loaded = useSnapshots ? SnapshotStore.LoadNewestValid(DataLayout.Snapshots(dataDir), logger, rejected) : null;
        var engine = loaded?.Engine ?? createEmpty?.Invoke() ?? new TradingEngine();
        var from = loaded?.Info.Sequence ?? 0;
        if (loaded is null && engine.LastSequence != 0)
        {
            throw new InvalidOperationException("The empty engine factory returned an engine that already holds commands.");
        }

        var journalDir = DataLayout.Journal(dataDir);
        // Only a replay from a format-1 snapshot or from empty can meet commands written before they carried closed records.
        var legacy = loaded is null || loaded.Value.FormatOne is not null ? new LegacyRecordResolver(loaded?.FormatOne) : null;
        var scan = ReplayPipeline.Run(journalDir, from, checkCoveredSegments, record =>
        {
            var command = legacy?.Complete(record.Command) ?? record.Command;
            var (code, message, _) = engine.Execute(command);
            legacy?.Observe(engine.LastEvents);
            if (code is not (Dealwire.Engine.Model.ReturnCode.Ok or Dealwire.Engine.Model.ReturnCode.OkNone) || engine.LastSequence != command.Sequence)
            {
                throw new DataCorruptionException(record.File, record.Offset,
                    $"Replaying record {command.Sequence} ({command.GetType().Name}) gave {code} '{message}' (engine at {engine.LastSequence}); it was accepted when journaled, so the engine no longer replays this journal exactly");
            }
        });

        if (scan.Segments.Count > 0 && scan.LastSequence < from)
        {
            var last = scan.Segments[^1];
            throw new DataCorruptionException(last.Path, scan.LastSegmentValidLength,
                $"The snapshot at sequence {from} is newer than the journal, which ends at {scan.LastSequence}: journal data written before the snapshot is missing");
        }
        if (scan.Segments.Count == 0 && from > 0)
        {
            logger.LogWarning("The journal is empty; starting from the snapshot at sequence {Sequence} alone", from);
        }

        var report = new RecoveryReport
        {
            Snapshot = loaded?.Info,
            RejectedSnapshots = rejected,
            Segments = scan.Segments.Count,
            RecordsRead = scan.RecordsRead,
            CommandsReplayed = scan.RecordsDelivered,
            LastSequence = engine.LastSequence,
            TornTail = scan.Torn,
            StateHash = hashState ? engine.StateHash() : "",
            Elapsed = clock.Elapsed,
        };
        return new RecoveredState(engine, report, scan);
    }
}
