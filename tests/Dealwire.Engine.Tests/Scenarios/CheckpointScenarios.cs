using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// Issue #21, the divergence check: a checkpoint command makes every engine that applies the log hash its state at that
/// point, and the leader's hash sent later is compared by each. Equal logs give equal hashes; a replica whose state
/// differs raises the alarm; neither command changes the state the hash covers beyond the applied sequence.
/// </summary>
public class CheckpointScenarios
{
    private static EngineHarness Traded()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Buy(login, "EURUSD", 100);
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        return h;
    }

    /// <summary>The same commands, stamped the same, on a fresh engine: a follower applying the leader's log.</summary>
    private static TradingEngine Follow(EngineHarness leader)
    {
        var follower = new TradingEngine();
        foreach (var command in leader.Journal)
        {
            var copy = System.Text.Json.JsonSerializer.Deserialize<EngineCommand>(System.Text.Json.JsonSerializer.Serialize(command))!;
            copy.Stamp(command.Sequence, command.Time);
            follower.Execute(copy);
        }
        return follower;
    }

    [Fact]
    public void Replicas_applying_the_same_log_compute_the_same_hash_and_match_the_leaders()
    {
        var leader = Traded();
        var before = leader.Engine.StateHash();
        var checkpoint = leader.Ok(new TakeCheckpoint());
        Assert.Equal(before, checkpoint.Hash); // the state as it stood before the checkpoint
        Assert.Equal(CheckpointVerdict.Matched, leader.Ok(new VerifyCheckpoint(checkpoint.Sequence, checkpoint.Hash)));

        var follower = Follow(leader);
        Assert.Equal(checkpoint, follower.Checkpoints.Taken);
        Assert.Equal(checkpoint, follower.Checkpoints.Verified);
        Assert.Null(follower.Checkpoints.Divergence);
        Assert.Equal(leader.Engine.StateHash(), follower.StateHash());
        leader.AssertReplayReproducesTheHash();
        leader.AssertSnapshotRestoresTheHash();
    }

    [Fact]
    public void A_replica_whose_state_differs_raises_the_alarm_and_keeps_applying_the_log()
    {
        var leader = Traded();
        var checkpoint = leader.Ok(new TakeCheckpoint());

        // A follower whose state differs from the leader's at the checkpoint (a nondeterministic apply, a corrupted
        // replay): the leader's log, plus a deposit the leader never made, stamped with the last sequence before it.
        var diverged = new TradingEngine();
        foreach (var command in leader.Journal.Where(c => c is not (TakeCheckpoint or VerifyCheckpoint)))
        {
            var copy = System.Text.Json.JsonSerializer.Deserialize<EngineCommand>(System.Text.Json.JsonSerializer.Serialize(command))!;
            copy.Stamp(command.Sequence, command.Time);
            diverged.Execute(copy);
        }
        var login = diverged.GetAccounts(Model.GroupMask.All).First().Profile.Login;
        var extra = new PostLedger(login, Model.LedgerKind.Deposit, 1m);
        extra.Stamp(checkpoint.Sequence - 1, leader.Time);
        Assert.Equal(Model.ReturnCode.Ok, diverged.Execute(extra).Code);
        var take = new TakeCheckpoint();
        take.Stamp(checkpoint.Sequence, leader.Time);
        diverged.Execute(take);
        var verify = new VerifyCheckpoint(checkpoint.Sequence, checkpoint.Hash);
        verify.Stamp(checkpoint.Sequence + 1, leader.Time);
        var verdict = diverged.Execute(verify);

        Assert.Equal(Model.ReturnCode.Ok, verdict.Code); // applied all the same: the log is the leader's
        Assert.Equal(CheckpointVerdict.Diverged, verdict.Value);
        var alarm = diverged.Checkpoints.Divergence!;
        Assert.Equal(checkpoint.Sequence, alarm.Sequence);
        Assert.Equal(checkpoint.Hash, alarm.LeaderHash);
        Assert.NotEqual(checkpoint.Hash, alarm.LocalHash);
        Assert.Contains("is not the leader's", alarm.ToString(), StringComparison.Ordinal);
        Assert.Null(diverged.Checkpoints.Verified);
    }

    [Fact]
    public void A_verification_without_a_hash_of_its_own_is_unknown_not_an_alarm()
    {
        var h = Traded();
        Assert.Equal(CheckpointVerdict.Unknown, h.Ok(new VerifyCheckpoint(12345, "00")));
        var checkpoint = h.Ok(new TakeCheckpoint());
        Assert.Equal(CheckpointVerdict.Unknown, h.Ok(new VerifyCheckpoint(checkpoint.Sequence - 1, checkpoint.Hash)));
        Assert.Equal(2, h.Engine.Checkpoints.Unknown);
        Assert.Null(h.Engine.Checkpoints.Divergence);

        // An engine restored from a snapshot taken between checkpoint and verification has no hash there either.
        var restored = h.AssertSnapshotRestoresTheHash();
        var verify = new VerifyCheckpoint(checkpoint.Sequence, checkpoint.Hash);
        verify.Stamp(h.Engine.LastSequence + 1, h.Time);
        Assert.Equal(CheckpointVerdict.Unknown, restored.Execute(verify).Value);
    }
}
