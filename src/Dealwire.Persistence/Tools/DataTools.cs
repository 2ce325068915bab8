using Dealwire.Engine.Core;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;
using Dealwire.Persistence.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tools;

/// <summary>Result of <see cref="DataTools.Verify"/>.</summary>
public sealed record VerifyReport
{
    /// <summary>True when every snapshot and every journal record checked out and the replays agree.</summary>
    public bool Healthy => Problems.Count == 0;

    /// <summary>Each problem found, with file and offset; empty when healthy.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public int Snapshots { get; init; }

    /// <summary>The snapshot recovery would start from (null = none usable).</summary>
    public SnapshotInfo? Snapshot { get; init; }

    public int Segments { get; init; }

    /// <summary>Journal records checked (all segments, including those covered by snapshots).</summary>
    public long Records { get; init; }

    public long FirstSequence { get; init; }

    /// <summary>Sequence of the recovered state.</summary>
    public long LastSequence { get; init; }

    /// <summary>A torn final record that the next start would truncate (normal after a crash, or while a server is writing).</summary>
    public TornTail? TornTail { get; init; }

    /// <summary>State hash of the recovered state (snapshot + tail).</summary>
    public string StateHash { get; init; } = "";

    /// <summary>
    /// State hash of a replay of the whole journal from an empty engine, when the journal still starts at
    /// sequence 1; null when older segments were retired. Must equal <see cref="StateHash"/>.
    /// </summary>
    public string? FullReplayStateHash { get; init; }
}

/// <summary>Result of <see cref="DataTools.Compact"/>.</summary>
public sealed record CompactReport(SnapshotInfo? Snapshot, RetentionResult Retention, RecoveryReport Recovery);

/// <summary>Offline maintenance of a data directory: the engines behind <c>dealwire data verify|compact</c>.</summary>
public static class DataTools
{
    /// <summary>
    /// Checks every snapshot and every journal record, recovers the state in memory and reports counts,
    /// last sequence and state hash. Reads only: safe while a server runs (a torn tail may then just be a
    /// write in progress). Never throws for damage; each problem is listed.
    /// </summary>
    public static VerifyReport Verify(string dataDir, Func<TradingEngine>? createEmpty = null, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var problems = new List<string>();
        var snapshotFiles = SnapshotStore.List(DataLayout.Snapshots(dataDir));
        foreach (var (path, _) in snapshotFiles)
        {
            try
            {
                SnapshotStore.LoadVerified(path);
            }
            catch (Exception ex) when (ex is DataCorruptionException or IOException)
            {
                problems.Add(ex.Message);
            }
        }

        RecoveredState recovered;
        try
        {
            recovered = Recoverer.Recover(dataDir, logger, createEmpty, checkCoveredSegments: true);
        }
        catch (Exception ex) when (ex is DataCorruptionException or IOException or InvalidOperationException)
        {
            problems.Add(ex.Message);
            return new VerifyReport { Problems = problems, Snapshots = snapshotFiles.Count, Segments = JournalReader.ListSegments(DataLayout.Journal(dataDir)).Count };
        }

        var scan = recovered.Scan;
        string? fullReplayHash = null;
        if (scan.FirstSequence == 1 && recovered.Report.Snapshot is not null)
        {
            try
            {
                var full = Recoverer.Recover(dataDir, logger, createEmpty, checkCoveredSegments: true, useSnapshots: false);
                fullReplayHash = full.Report.StateHash;
                if (full.Report.LastSequence != recovered.Report.LastSequence || fullReplayHash != recovered.Report.StateHash)
                {
                    problems.Add($"Replaying the whole journal gives sequence {full.Report.LastSequence} hash {fullReplayHash}, snapshot + tail gives {recovered.Report.LastSequence} hash {recovered.Report.StateHash}");
                }
            }
            catch (Exception ex) when (ex is DataCorruptionException or IOException)
            {
                problems.Add(ex.Message);
            }
        }
        else if (recovered.Report.Snapshot is null && scan.FirstSequence <= 1)
        {
            fullReplayHash = recovered.Report.StateHash; // recovery was itself a replay from empty
        }

        return new VerifyReport
        {
            Problems = problems,
            Snapshots = snapshotFiles.Count,
            Snapshot = recovered.Report.Snapshot,
            Segments = scan.Segments.Count,
            Records = scan.RecordsRead,
            FirstSequence = scan.FirstSequence,
            LastSequence = recovered.Report.LastSequence,
            TornTail = scan.Torn,
            StateHash = recovered.Report.StateHash,
            FullReplayStateHash = fullReplayHash,
        };
    }

    /// <summary>
    /// The profile of <paramref name="login"/> in the recovered state of a data directory, or null when no
    /// such account exists. Reads only, like <see cref="Verify"/>: safe while a server runs (every command
    /// it acknowledged is already in the journal). Used to bind CLI-issued user tokens to an account instance.
    /// </summary>
    public static Dealwire.Engine.Model.AccountProfile? FindAccount(string dataDir, long login, Func<TradingEngine>? createEmpty = null)
    {
        var recovered = Recoverer.Recover(dataDir, NullLogger.Instance, createEmpty, checkCoveredSegments: false, hashState: false);
        return recovered.Engine.GetAccount(login)?.Profile;
    }

    /// <summary>
    /// Recovers the data directory, writes a snapshot of the recovered state and retires the journal
    /// segments it covers (per retention). Takes the directory lock: the server must be stopped.
    /// <paramref name="retainAfter"/> is the oldest sequence a committed-stream consumer (the history projector) has
    /// applied: the segments after the newest snapshot at or before it stay, so the consumer can still replay them.
    /// </summary>
    public static async Task<CompactReport> Compact(string dataDir, DurabilityOptions? options = null, ILogger? logger = null, Func<TradingEngine>? createEmpty = null,
        long retainAfter = long.MaxValue)
    {
        logger ??= NullLogger.Instance;
        options ??= new DurabilityOptions();
        var noShutdownSnapshot = new DurabilityOptions
        {
            Mode = options.Mode == DurabilityMode.None ? DurabilityMode.Fsync : options.Mode,
            SegmentSizeBytes = options.SegmentSizeBytes,
            SnapshotsToKeep = options.SnapshotsToKeep,
            CoveredSegmentsToKeep = options.CoveredSegmentsToKeep,
            SnapshotOnShutdown = false,
            SnapshotEveryCommands = 0,
            SnapshotInterval = TimeSpan.Zero,
        };
        var store = DurableStore.Open(dataDir, noShutdownSnapshot, logger, createEmpty);
        await using (store.ConfigureAwait(false))
        {
            store.Snapshots.RetainAfter = () => retainAfter;
            var snapshot = store.Snapshots.TakeQuiescent(store.Engine);
            // Already compact (no command since the last snapshot): retention still runs, e.g. after a change of SnapshotsToKeep.
            var retention = snapshot is not null
                ? store.Snapshots.LastRetention
                : SnapshotStore.ApplyRetention(DataLayout.Snapshots(dataDir), DataLayout.Journal(dataDir), store.Journal.ActiveSegmentFirstSequence, noShutdownSnapshot, logger,
                    retainAfter);
            return new CompactReport(snapshot, retention, store.Report);
        }
    }
}
