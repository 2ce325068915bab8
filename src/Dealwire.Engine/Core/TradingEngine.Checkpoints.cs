using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

public sealed partial class TradingEngine
{
    /// <summary>Checkpoint outcomes of this engine (the replication divergence check); monitoring only.</summary>
    public CheckpointMonitor Checkpoints { get; } = new();

    /// <summary>Hashes the state as it stands before this command; the same on every replica at this sequence.</summary>
    private (ReturnCode, string, object?) Checkpoint(TakeCheckpoint c)
    {
        var checkpoint = new StateCheckpoint(c.Sequence, StateHash());
        Checkpoints.Take(checkpoint);
        return (ReturnCode.Ok, "", checkpoint);
    }

    /// <summary>
    /// Always applied (a verdict is an observation, not a refusal): the log stays the leader's whatever a replica finds,
    /// and the replica raises its alarm instead.
    /// </summary>
    private (ReturnCode, string, object?) Verify(VerifyCheckpoint c) =>
        (ReturnCode.Ok, "", Checkpoints.Verify(c.CheckpointSequence, c.Hash));
}
