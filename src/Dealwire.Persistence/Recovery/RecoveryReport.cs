using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Snapshots;

namespace Dealwire.Persistence.Recovery;

/// <summary>What recovery did at start: where it started from, what it replayed, what it repaired.</summary>
public sealed record RecoveryReport
{
    /// <summary>The snapshot recovery started from; null = an empty engine.</summary>
    public SnapshotInfo? Snapshot { get; init; }

    /// <summary>Newer snapshots that were damaged and skipped (the journal covered the difference).</summary>
    public IReadOnlyList<RejectedSnapshot> RejectedSnapshots { get; init; } = [];

    public int Segments { get; init; }

    /// <summary>Journal records checked (including those the snapshot already covered, in segments that were read).</summary>
    public long RecordsRead { get; init; }

    /// <summary>Commands applied on top of the snapshot.</summary>
    public long CommandsReplayed { get; init; }

    /// <summary>Sequence of the last command in the recovered state.</summary>
    public long LastSequence { get; init; }

    /// <summary>A partial write at the end of the last segment; at start it is truncated (and logged).</summary>
    public TornTail? TornTail { get; init; }

    /// <summary>State hash of the recovered engine; empty when <see cref="DurabilityOptions.HashRecoveredState"/> is off.</summary>
    public string StateHash { get; init; } = "";

    public TimeSpan Elapsed { get; init; }
}
