using Dealwire.Engine.Core;
using Dealwire.Persistence.IO;
using Dealwire.Persistence.Journal;
using Microsoft.Extensions.Logging;

namespace Dealwire.Persistence.Snapshots;

/// <summary>A snapshot that could not be used, and why.</summary>
public sealed record RejectedSnapshot(string Path, string Reason);

/// <summary>The snapshots directory: listing, loading the newest valid one, retention.</summary>
internal static class SnapshotStore
{
    /// <summary>Snapshot files, newest first.</summary>
    public static List<(string Path, long Sequence)> List(string directory)
    {
        var list = new List<(string, long)>();
        if (!Directory.Exists(directory)) return list;
        foreach (var path in Directory.EnumerateFiles(directory, SnapshotFile.Prefix + "*" + SnapshotFile.Extension))
        {
            if (SnapshotFile.TryParseFileName(path, out var sequence)) list.Add((path, sequence));
        }
        list.Sort((a, b) => b.Item2.CompareTo(a.Item2));
        return list;
    }

    /// <summary>
    /// Reads a snapshot and proves it: checksums, then restore and compare the state hash recorded at snapshot time.
    /// A format-1 snapshot recorded a hash of a scheme that hashed configuration as JSON, which today's records
    /// cannot reproduce: it is proven by its checksums alone and its hash is recomputed under the current scheme
    /// (the returned <see cref="SnapshotInfo.StateHash"/>), which the journal tail and later snapshots continue from.
    /// </summary>
    public static (SnapshotInfo Info, TradingEngine Engine) LoadVerified(string path)
    {
        var (info, engine, _) = Load(path);
        return (info, engine);
    }

    /// <summary><see cref="LoadVerified"/>, also handing back a format-1 snapshot (its history seeds the replay of old journal commands).</summary>
    public static (SnapshotInfo Info, TradingEngine Engine, EngineSnapshot? FormatOne) Load(string path)
    {
        var (info, snapshot) = SnapshotFile.Read(path);
        var engine = TradingEngine.Restore(snapshot);
        var restoredHash = engine.StateHash();
        if (snapshot.FormatVersion < 2)
        {
            info = info with { StateHash = restoredHash };
        }
        else if (restoredHash != info.StateHash || snapshot.StateHash != info.StateHash)
        {
            throw new DataCorruptionException(path, 0,
                $"Restoring the snapshot gives state hash {restoredHash}, the snapshot recorded {info.StateHash}");
        }
        if (engine.LastSequence != info.Sequence)
        {
            throw new DataCorruptionException(path, 0, $"The restored engine is at sequence {engine.LastSequence}, the snapshot says {info.Sequence}");
        }
        return (info, engine, snapshot.FormatVersion < 2 ? snapshot : null);
    }

    /// <summary>The newest snapshot that proves valid; damaged newer ones are logged and returned as rejected.</summary>
    public static (SnapshotInfo Info, TradingEngine Engine, EngineSnapshot? FormatOne)? LoadNewestValid(string directory, ILogger logger, List<RejectedSnapshot> rejected)
    {
        foreach (var (path, _) in List(directory))
        {
            try
            {
                return Load(path);
            }
            catch (DataCorruptionException ex)
            {
                logger.LogError("Snapshot {Path} is unusable, trying an older one: {Reason}", path, ex.Message);
                rejected.Add(new RejectedSnapshot(path, ex.Message));
            }
        }
        return null;
    }

    /// <summary>Removes .tmp files left by a crash during a snapshot write (never renamed, so never valid).</summary>
    public static void DeleteLeftovers(string directory, ILogger logger)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var temp in Directory.EnumerateFiles(directory, "*" + SnapshotFile.TempExtension))
        {
            logger.LogWarning("Deleting unfinished snapshot {Path}", temp);
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Keeps the newest <see cref="DurabilityOptions.SnapshotsToKeep"/> snapshots, then deletes the journal
    /// segments the oldest kept snapshot fully covers (beyond <see cref="DurabilityOptions.CoveredSegmentsToKeep"/>).
    /// The segment being written (<paramref name="activeSegmentFirstSequence"/> and later) is never touched.
    /// <paramref name="retainAfter"/> is the oldest position a stream consumer (the history projector) may still have to
    /// replay from: the newest snapshot at or before it and every segment after that snapshot stay.
    /// </summary>
    public static RetentionResult ApplyRetention(string snapshotDirectory, string journalDirectory, long activeSegmentFirstSequence, DurabilityOptions options, ILogger logger,
        long retainAfter = long.MaxValue)
    {
        var snapshots = List(snapshotDirectory);
        var held = snapshots.FindIndex(x => x.Sequence <= retainAfter);
        var snapshotsDeleted = 0;
        for (var i = options.SnapshotsToKeep; i < snapshots.Count; i++)
        {
            if (i == held) continue;
            File.Delete(snapshots[i].Path);
            snapshotsDeleted++;
        }
        if (snapshots.Count == 0) return new RetentionResult(0, 0, 0);
        var floor = snapshots[Math.Min(options.SnapshotsToKeep, snapshots.Count) - 1].Sequence;
        // A consumer behind every snapshot replays from the first command: keep the whole journal.
        if (retainAfter < floor) floor = held >= 0 ? snapshots[held].Sequence : 0;

        var segments = JournalReader.ListSegments(journalDirectory);
        var covered = new List<SegmentFile>();
        for (var i = 0; i + 1 < segments.Count; i++)
        {
            if (segments[i].FirstSequence >= activeSegmentFirstSequence) break;
            if (segments[i + 1].FirstSequence - 1 <= floor) covered.Add(segments[i]);
        }
        var segmentsDeleted = 0;
        long bytesFreed = 0;
        for (var i = 0; i < covered.Count - options.CoveredSegmentsToKeep; i++)
        {
            bytesFreed += new FileInfo(covered[i].Path).Length;
            File.Delete(covered[i].Path);
            segmentsDeleted++;
            logger.LogInformation("Retired journal segment {Segment} (covered by the snapshot at {Sequence})", Path.GetFileName(covered[i].Path), floor);
        }
        if (segmentsDeleted > 0 && options.Mode == DurabilityMode.Fsync) FileSync.Directory(journalDirectory);
        return new RetentionResult(snapshotsDeleted, segmentsDeleted, bytesFreed);
    }
}

/// <summary>What a retention pass removed.</summary>
public readonly record struct RetentionResult(int SnapshotsDeleted, int SegmentsRetired, long BytesFreed);
