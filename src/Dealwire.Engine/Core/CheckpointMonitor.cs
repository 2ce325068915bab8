namespace Dealwire.Engine.Core;

/// <summary>The state hash a replica computed at a checkpoint of the log.</summary>
public sealed record StateCheckpoint(long Sequence, string Hash);

/// <summary>What a replica found when it compared the leader's hash with its own.</summary>
public enum CheckpointVerdict
{
    /// <summary>Same hash: this replica's state equals the leader's at that sequence.</summary>
    Matched,

    /// <summary>Different hash: this replica's state is not the leader's; the alarm is raised.</summary>
    Diverged,

    /// <summary>This replica has no hash of its own at that sequence (it started from a snapshot taken in between).</summary>
    Unknown,
}

/// <summary>A replica whose state hash differs from the leader's at one sequence.</summary>
public sealed record StateDivergence(long Sequence, string LeaderHash, string LocalHash)
{
    public override string ToString() =>
        $"state hash at sequence {Sequence} is {LocalHash} here and {LeaderHash} on the leader: this replica's state is not the leader's";
}

/// <summary>
/// Checkpoint outcomes for monitoring (health, metrics, logs). Written by the engine thread only, read by anyone:
/// immutable records behind volatile references. Not part of the state hash or snapshot: it describes the
/// replica, not the money. A divergence stays raised until the process restarts (someone must look).
/// </summary>
public sealed class CheckpointMonitor
{
    private StateCheckpoint? _taken;
    private StateCheckpoint? _verified;
    private StateDivergence? _divergence;
    private long _unknown;

    /// <summary>The last checkpoint this engine computed a hash at.</summary>
    public StateCheckpoint? Taken => Volatile.Read(ref _taken);

    /// <summary>The last checkpoint whose hash equalled the leader's.</summary>
    public StateCheckpoint? Verified => Volatile.Read(ref _verified);

    /// <summary>The first divergence found; null while every compared hash matched.</summary>
    public StateDivergence? Divergence => Volatile.Read(ref _divergence);

    /// <summary>Verifications this engine could not compare (no hash of its own at that sequence).</summary>
    public long Unknown => Volatile.Read(ref _unknown);

    internal void Take(StateCheckpoint checkpoint) => Volatile.Write(ref _taken, checkpoint);

    internal CheckpointVerdict Verify(long sequence, string leaderHash)
    {
        var taken = Taken;
        if (taken is null || taken.Sequence != sequence)
        {
            Interlocked.Increment(ref _unknown);
            return CheckpointVerdict.Unknown;
        }
        if (string.Equals(taken.Hash, leaderHash, StringComparison.Ordinal))
        {
            Volatile.Write(ref _verified, taken);
            return CheckpointVerdict.Matched;
        }
        Interlocked.CompareExchange(ref _divergence, new StateDivergence(sequence, leaderHash, taken.Hash), null);
        return CheckpointVerdict.Diverged;
    }
}
