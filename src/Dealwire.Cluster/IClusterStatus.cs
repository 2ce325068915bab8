namespace Dealwire.Cluster;

/// <summary>
/// What <c>/health</c> (and metrics) say about this node's place in the cluster. A single node is its own leader.
/// </summary>
public interface IClusterStatus
{
    /// <summary><c>leader</c>, <c>follower</c> or <c>gateway</c>.</summary>
    string Role { get; }

    /// <summary>This node's id (<c>Cluster:NodeId</c>); null for a single node without one.</summary>
    string? NodeId { get; }

    /// <summary>The id of the leader this node knows of; null while an election runs.</summary>
    string? LeaderId { get; }

    /// <summary>The Raft term: while leading, the term this node accepts commands in; 0 for a single node.</summary>
    long Term { get; }

    /// <summary>The journal sequence this node has applied (a gateway: followed).</summary>
    long AppliedSequence { get; }

    /// <summary>Set when replicas disagree on the state hash at one sequence; health turns red.</summary>
    string? DivergenceAlarm { get; }

    /// <summary>The sequence of the last checkpoint whose state hash this node found equal to the leader's; 0 when none yet.</summary>
    long VerifiedCheckpoint { get; }
}

/// <summary>The default: one process, leader of itself; its applied sequence is the engine's.</summary>
public sealed class SingleNodeStatus(string? nodeId, Func<long> appliedSequence) : IClusterStatus
{
    public string Role => "leader";
    public string? NodeId => nodeId;
    public string? LeaderId => nodeId;
    public long Term => 0;
    public long AppliedSequence => appliedSequence();
    public string? DivergenceAlarm => null;
    public long VerifiedCheckpoint => 0;
}

/// <summary>
/// A clustered node's status (a replica's or a gateway's): what it applied and what its engine's checkpoint monitor
/// says, both wired by the host once the live view and the engine exist.
/// </summary>
public abstract class NodeStatus : IClusterStatus
{
    public Func<long> AppliedSequenceSource { get; set; } = () => 0;

    /// <summary>Where the divergence alarm and verified checkpoint are read: the engine's checkpoint monitor.</summary>
    public Engine.Core.CheckpointMonitor? Checkpoints { get; set; }

    public abstract string Role { get; }

    public abstract string? NodeId { get; }

    public abstract string? LeaderId { get; }

    public abstract long Term { get; }

    public long AppliedSequence => AppliedSequenceSource();

    public string? DivergenceAlarm => Checkpoints?.Divergence?.ToString();

    public long VerifiedCheckpoint => Checkpoints?.Verified?.Sequence ?? 0;
}
