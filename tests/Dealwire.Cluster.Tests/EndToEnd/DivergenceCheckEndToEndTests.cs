using System.Diagnostics;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Dealwire.Cluster.Tests.EndToEnd;

/// <summary>
/// The divergence check on three real replicas: with a one-second checkpoint interval the leader puts checkpoints into
/// the log, and every replica reports on <c>/health</c> the same verified checkpoint, no alarm, and logs the verified
/// (sequence, hash). (A diverging replica is produced in <c>CheckpointScenarios</c>: a real replica set that stays
/// deterministic cannot be made to diverge from outside without corrupting files the journal's checksums refuse.)
/// </summary>
[Trait("Category", "Slow")]
public sealed class DivergenceCheckEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_replica_verifies_the_leaders_checkpoints_and_raises_no_alarm()
    {
        await using var set = await ReplicaSet.StartAsync(checkpointInterval: TimeSpan.FromSeconds(1));
        var (leader, _) = await set.WaitForAgreementAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(200, (await ReplicaSet.DepositOnceSeededAsync(set.Nodes[leader], 25m, "before-checkpoint")).GetProperty("status").GetInt32());

        var clock = Stopwatch.StartNew();
        long agreed = 0;
        while (agreed == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the replicas did not report one verified checkpoint within 60 s");
            var verified = new List<long>();
            foreach (var node in set.Nodes.Values)
            {
                var health = await node.GetHealthAsync();
                var cluster = health.GetProperty("cluster");
                Assert.Equal(JsonValueKind.Null, cluster.GetProperty("divergenceAlarm").ValueKind);
                Assert.NotEqual("diverged", health.GetProperty("status").GetString());
                verified.Add(cluster.GetProperty("verifiedCheckpoint").GetInt64());
            }
            if (verified.All(v => v > 0) && verified.Distinct().Count() == 1) agreed = verified[0];
            else await Task.Delay(200);
        }
        output.WriteLine($"all three replicas verified the checkpoint at sequence {agreed} after {clock.ElapsedMilliseconds} ms");

        foreach (var (id, node) in set.Nodes)
        {
            Assert.Contains("State checkpoint verified at sequence", node.CapturedOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("DIVERGENCE", node.CapturedOutput, StringComparison.Ordinal);
            using var metrics = await node.GetAsync("metrics");
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Matches(@"(?m)^dealwire_cluster_diverged(\{[^}]*\})? 0$", text);
            output.WriteLine($"{id}: metrics report no divergence");
        }
    }
}
