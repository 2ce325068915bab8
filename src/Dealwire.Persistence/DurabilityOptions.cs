namespace Dealwire.Persistence;

/// <summary>How far a batch must get before its replies and events are released.</summary>
public enum DurabilityMode
{
    /// <summary>Written and fsync'd (group commit): survives a process crash and a power cut. The default.</summary>
    Fsync,

    /// <summary>Written to the OS page cache, no fsync: survives a process crash, not a power cut or kernel panic.</summary>
    Os,

    /// <summary>Released before it is written (written later, no fsync): a crash may lose acknowledged commands. Benchmarks only.</summary>
    None,
}

/// <summary>Settings of the journal and snapshots (configuration section "Durability").</summary>
public sealed class DurabilityOptions
{
    /// <summary>When a command counts as durable; see <see cref="DurabilityMode"/>.</summary>
    public DurabilityMode Mode { get; set; } = DurabilityMode.Fsync;

    /// <summary>
    /// Most commands waiting for the disk. When the journal falls this far behind (a tick flood, a slow
    /// disk), the engine thread waits for it instead of queueing without bound: memory stays bounded and
    /// the engine's own queue pushes back on callers and feeds.
    /// </summary>
    public int MaxQueuedCommands { get; set; } = 262_144;

    /// <summary>A segment is closed and a new one started at the first batch boundary past this size.</summary>
    public long SegmentSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Take a snapshot after this many journaled commands since the last one; 0 = never by count.</summary>
    public long SnapshotEveryCommands { get; set; } = 1_000_000;

    /// <summary>Take a snapshot at this interval when anything was journaled since the last one; zero = never by time.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Take a snapshot at graceful shutdown, so the next start replays nothing.</summary>
    public bool SnapshotOnShutdown { get; set; } = true;

    /// <summary>
    /// Snapshots kept (at least 1). Journal segments are retired only when the oldest kept snapshot covers
    /// them, so recovery can still fall back to any kept snapshot.
    /// </summary>
    public int SnapshotsToKeep { get; set; } = 2;

    /// <summary>Fully covered segments kept anyway (newest first), e.g. for audit or shipping to a standby.</summary>
    public int CoveredSegmentsToKeep { get; set; }

    /// <summary>
    /// Longest the journal waits, before a write, for callers released by the previous write to come back
    /// (only in Fsync mode, only when fewer commands are queued than the previous write carried); zero = never,
    /// the default: on the 2-core test machine the window raised the commands per fsync but not the
    /// throughput (docs/durability.md). Worth trying where an fsync costs much more than a caller's round trip.
    /// </summary>
    public TimeSpan GroupCommitWindow { get; set; }

    /// <summary>
    /// Compute the state hash of the recovered engine at start (logged and in
    /// <see cref="Recovery.RecoveryReport.StateHash"/>, to compare with <c>dealwire data verify</c>). It is a
    /// diagnostic, not a check: snapshots are always verified against their recorded hash, and replay checks
    /// every record. On a large state it takes seconds (about as long as replaying a million commands), so
    /// turn it off for the fastest start.
    /// </summary>
    public bool HashRecoveredState { get; set; } = true;

    internal void Validate()
    {
        if (SegmentSizeBytes < 4096) throw new ArgumentOutOfRangeException(nameof(SegmentSizeBytes), SegmentSizeBytes, "A segment must be at least 4096 bytes.");
        if (SnapshotsToKeep < 1) throw new ArgumentOutOfRangeException(nameof(SnapshotsToKeep), SnapshotsToKeep, "At least one snapshot must be kept.");
        if (CoveredSegmentsToKeep < 0) throw new ArgumentOutOfRangeException(nameof(CoveredSegmentsToKeep), CoveredSegmentsToKeep, "Cannot keep a negative number of segments.");
        if (SnapshotEveryCommands < 0) throw new ArgumentOutOfRangeException(nameof(SnapshotEveryCommands), SnapshotEveryCommands, "Use 0 to disable count-based snapshots.");
        if (GroupCommitWindow < TimeSpan.Zero || GroupCommitWindow > TimeSpan.FromMilliseconds(100)) throw new ArgumentOutOfRangeException(nameof(GroupCommitWindow), GroupCommitWindow, "Use zero to disable the window; at most 100 ms.");
        if (SnapshotInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(SnapshotInterval), SnapshotInterval, "Use zero to disable time-based snapshots.");
    }
}
