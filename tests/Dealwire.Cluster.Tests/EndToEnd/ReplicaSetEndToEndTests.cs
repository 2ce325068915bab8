using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Dealwire.Cluster.Tests.EndToEnd;

/// <summary>
/// Three real replicas on loopback: one leader, writes replicated to all with equal state hashes, a follower's
/// documented refusal, SIGKILL of the leader (failover time printed) and the old leader rejoining as a follower.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReplicaSetEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replicas_agree_a_follower_refuses_writes_and_a_killed_leader_is_replaced()
    {
        await using var set = await ReplicaSet.StartAsync();
        // The first leader loads the embedded default (demo account 1000); every replica applies it.
        var (leader, seeded) = await set.WaitForAgreementAsync(TimeSpan.FromSeconds(60));
        var follower = ReplicaSet.Ids.First(id => id != leader);

        // A follower refuses the write and names the leader's Server API endpoint.
        // The leader sequences the embedded default over several batches: agreement can come before account 1000 reached
        // the follower, whose read then answers 404 first; the refusal is what this waits for.
        var refused = await ReplicaSet.DepositOnceSeededAsync(set.Nodes[follower], 10m, "on-follower");
        Assert.Equal(503, refused.GetProperty("status").GetInt32());
        Assert.Equal("RET_NOT_LEADER", refused.GetProperty("error").GetString());
        Assert.Equal($"leader is {leader} at 127.0.0.1:{set.Nodes[leader].ServerApiPort}", refused.GetProperty("message").GetString());

        var deposit = await ReplicaSet.DepositAsync(set.Nodes[leader], 100m, "on-leader");
        Assert.Equal(200, deposit.GetProperty("status").GetInt32());
        var (_, afterDeposit) = await set.WaitForAgreementAsync(TimeSpan.FromSeconds(30), above: seeded);

        // kill -9 the leader: a follower with the whole log takes over and acknowledges the next command.
        var clock = Stopwatch.StartNew();
        await set.Nodes[leader].KillAsync();
        var survivors = ReplicaSet.Ids.Where(id => id != leader).ToList();
        string? newLeader = null;
        while (newLeader is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no new leader acknowledged a command within 60 s");
            foreach (var id in survivors)
            {
                if (await ReplicaSet.ClusterOfAsync(set.Nodes[id]) is not { Role: "leader" }) continue;
                var reply = await ReplicaSet.DepositAsync(set.Nodes[id], 50m, $"after-failover-{clock.ElapsedMilliseconds}");
                if (reply.GetProperty("status").GetInt32() == 200) newLeader = id;
            }
            if (newLeader is null) await Task.Delay(20);
        }
        var failover = clock.Elapsed;
        output.WriteLine($"failover: leader {leader} killed -> first command acknowledged by {newLeader} in {failover.TotalMilliseconds:0} ms");
        // The new leader applies its own Engine:RolloverTime once it leads (it was a follower when it started).
        // (It was a follower when it started: "not applied here"; the same value is then "already in effect".)
        var since = set.Nodes[newLeader!].CapturedOutput.LastIndexOf($"Replica {newLeader} is the leader", StringComparison.Ordinal);
        Assert.True(since >= 0, "the new leader did not log its leadership");
        var applied = Stopwatch.StartNew();
        while (set.Nodes[newLeader].CapturedOutput[since..] is var after && !after.Contains("Rollover time set to", StringComparison.Ordinal)
            && !after.Contains("already in effect", StringComparison.Ordinal))
        {
            Assert.True(applied.Elapsed < TimeSpan.FromSeconds(30), "the new leader did not apply its Engine:RolloverTime within 30 s");
            await Task.Delay(100);
        }

        // The old leader comes back as a follower of the new term and catches up.
        await set.Nodes[leader].RestartAsync();
        var (agreedLeader, sequence) = await set.WaitForAgreementAsync(TimeSpan.FromSeconds(60), above: afterDeposit);
        Assert.Equal(newLeader, agreedLeader);
        Assert.True(sequence > afterDeposit, $"sequence {sequence} after failover, {afterDeposit} before");

        // Equal state hashes at equal sequences: followers stop first, so none moves on after the comparison point.
        var states = new Dictionary<string, (long Sequence, string Hash)>();
        foreach (var id in ReplicaSet.Ids.Where(id => id != newLeader).Append(newLeader)) states[id] = await ReplicaSet.StopAndReadStateAsync(set.Nodes[id]);
        foreach (var (id, state) in states) output.WriteLine($"{id}: sequence {state.Sequence} hash {state.Hash}");
        Assert.Single(states.Values.Distinct());
        Assert.Equal(sequence, states[newLeader].Sequence);
    }
}
