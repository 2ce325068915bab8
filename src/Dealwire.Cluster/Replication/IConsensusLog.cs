using DotNext.Net.Cluster.Consensus.Raft;

namespace Dealwire.Cluster.Replication;

/// <summary>
/// What <see cref="ReplicatedJournal"/> needs of Raft: the current term, leadership, and appending an entry that
/// returns once it is committed. DotNext's cluster in production (<see cref="RaftConsensusLog"/>); a stand-in in tests
/// that put the journal through a term change at a chosen moment.
/// </summary>
internal interface IConsensusLog
{
    /// <summary>Raft's current term on this node (it may already be a newer leader's term).</summary>
    long Term { get; }

    /// <summary>Index of the last entry the cluster committed, as this node knows it.</summary>
    long LastCommittedIndex { get; }

    /// <summary>Completes with a token cancelled when the leadership ends, once this node leads.</summary>
    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="entry"/> as the leader and returns once the cluster committed it; throws when this node does not lead.</summary>
    ValueTask ReplicateAsync(BinaryLogEntry entry, CancellationToken cancellationToken);
}

/// <summary>DotNext's Raft cluster as the journal's <see cref="IConsensusLog"/>.</summary>
internal sealed class RaftConsensusLog(IRaftCluster cluster) : IConsensusLog
{
    public long Term => cluster.Term;

    public long LastCommittedIndex => cluster.AuditTrail.LastCommittedEntryIndex;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken) => cluster.WaitForLeadershipAsync(cancellationToken);

    public ValueTask ReplicateAsync(BinaryLogEntry entry, CancellationToken cancellationToken) => cluster.ReplicateAsync(entry, cancellationToken);
}
