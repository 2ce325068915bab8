using Dealwire.Persistence.Tools;

namespace Dealwire.Persistence.Tests;

/// <summary>
/// In-process crash simulation: under concurrent load, the data directory is copied at a random moment,
/// exactly as a kill -9 leaves it (what write() put in the page cache, possibly half a record), and the
/// next round starts from that copy. The process-level SIGKILL test needs the Host and Server API.
/// </summary>
public class CrashSimulationTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Every_acknowledged_operation_survives_twenty_crashes_at_random_moments()
    {
        using var dir = new TempDir();
        var options = DurableStoreTests.Quiet(segmentSize: 16 * 1024);
        options.SnapshotEveryCommands = 300;
        options.CoveredSegmentsToKeep = 10_000; // keep the whole journal so each image can be replayed from empty
        var acknowledged = new Dictionary<string, decimal>();
        var submitted = new Dictionary<string, decimal>();
        var random = new Random(20);
        var tornTails = 0;

        for (var round = 0; round < 20; round++)
        {
            var (store, runner) = DurableStoreTests.Start(dir.Path, options);
            var workload = new Workload(runner);
            if (round == 0) await workload.SetupAsync();
            else foreach (var a in store.Engine.GetAccounts(Dealwire.Engine.Model.GroupMask.All)) workload.Accounts.Add(a.Profile.Login);
            using var stop = new CancellationTokenSource();
            var load = workload.RunAsync(8, 1_000_000, seed: 100 + round, stop.Token);

            // The crash comes at a random moment once the round has work to lose: a loaded CI machine acknowledges far
            // fewer deposits in the first 200 ms, and a round that crashes before any proves nothing.
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); workload.AcknowledgedDeposits.Count < 10 && waited.Elapsed < TimeSpan.FromSeconds(30);)
            {
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(20, 200));
            var ackedBeforeCrash = workload.AcknowledgedDeposits.ToArray();
            var image = dir.Path + ".crash";
            CopyLikeACrash(dir.Path, image);

            await stop.CancelAsync();
            await load;
            foreach (var (key, amount) in workload.SubmittedDeposits) submitted[key] = amount;
            foreach (var (key, amount) in ackedBeforeCrash) acknowledged[key] = amount;
            await runner.StopAsync();
            await store.CloseAsync();
            Directory.Delete(dir.Path, recursive: true);
            Directory.Move(image, dir.Path);

            // Restart from the crash image.
            var verify = DataTools.Verify(dir.Path);
            Assert.True(verify.Healthy, $"round {round}: {string.Join("; ", verify.Problems)}");
            if (verify.TornTail is not null) tornTails++;
            var (recovered, runner2) = DurableStoreTests.Start(dir.Path, options);
            Assert.Equal(verify.StateHash, recovered.Report.StateHash);
            if (verify.FullReplayStateHash is not null) Assert.Equal(verify.FullReplayStateHash, recovered.Report.StateHash);
            var deposits = EngineChecks.Deposits(dir.Path, recovered.Engine.LastSequence);
            foreach (var (key, amount) in acknowledged)
            {
                Assert.True(deposits.TryGetValue(key, out var found), $"round {round}: acknowledged deposit {key} lost");
                Assert.Equal(amount, found);
            }
            foreach (var (key, amount) in deposits) Assert.Equal(submitted[key], amount); // nothing invented
            EngineChecks.AssertBalancesEqualLedgers(recovered.Engine, dir.Path);
            await runner2.StopAsync();
            await recovered.CloseAsync();
        }
        Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} deposits acknowledged");
        Console.WriteLine($"crash simulation: {acknowledged.Count} acknowledged deposits, {tornTails} torn tails repaired");
    }

    /// <summary>Snapshots first, then the journal: a copied snapshot is always reached by the copied journal.</summary>
    private static void CopyLikeACrash(string from, string to)
    {
        foreach (var sub in new[] { "snapshots", "journal" })
        {
            var target = Path.Combine(to, sub);
            Directory.CreateDirectory(target);
            var source = Path.Combine(from, sub);
            if (!Directory.Exists(source)) continue;
            foreach (var file in Directory.GetFiles(source))
            {
                if (file.EndsWith(".tmp", StringComparison.Ordinal) || Path.GetFileName(file) == "LOCK") continue;
                try
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
                }
                catch (FileNotFoundException)
                {
                    // an old snapshot retired while copying: a crash a moment later would not have it either
                }
            }
        }
    }
}
