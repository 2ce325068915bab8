namespace Dealwire.Engine.Commands;

/// <summary>
/// A point of the log where every replica, and every replay, computes its state hash (the divergence check of
/// docs/replication.md). Changes no state: replicas that apply the same log compute the same hash here.
/// </summary>
public sealed record TakeCheckpoint : EngineCommand<Core.StateCheckpoint>;

/// <summary>
/// The leader's hash at the checkpoint of <paramref name="CheckpointSequence"/>: each replica compares it with the
/// hash it computed there itself; a difference is a divergence (<see cref="Core.CheckpointMonitor"/>). Changes no state.
/// </summary>
public sealed record VerifyCheckpoint(long CheckpointSequence, string Hash) : EngineCommand<Core.CheckpointVerdict>;
