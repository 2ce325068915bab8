using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using Dealwire.Persistence.Snapshots;
using Dealwire.Persistence.Tools;

namespace Dealwire.Persistence.Tests;

/// <summary>
/// A data directory written by the code before the snapshot format was versioned (Fixtures/snapshot-v1, see its
/// README) still opens: the format-1 snapshot loads, its hash is recomputed under the current scheme, the journal
/// tail replays on top of it, and the figures are those the old code showed.
/// </summary>
public class SnapshotFormatCompatibilityTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "snapshot-v1");

    private static TempDir CopyOfFixture()
    {
        var dir = new TempDir();
        foreach (var file in Directory.EnumerateFiles(Fixture, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
        {
            var target = Path.Combine(dir.Path, Path.GetRelativePath(Fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dir;
    }

    [Fact]
    public void A_format_1_snapshot_loads_and_its_hash_is_recomputed()
    {
        using var dir = CopyOfFixture();
        var (info, engine) = SnapshotStore.LoadVerified(Path.Combine(dir.Snapshots, "snapshot-000000000028.snap"));

        Assert.Equal(1, info.FormatVersion);
        Assert.Equal(28, engine.LastSequence);
        Assert.Equal(engine.StateHash(), info.StateHash);
        Assert.NotEqual("e290251904aa54122acaeedbc5688ac18f7885eed17f0465d276505f6fd34184", info.StateHash); // the old scheme's
        // At the snapshot (after the rollover): Alice 10 000 + 1 234.56 − 1 234.56 (reversed) + 40.00 (edited close) = 10 040.00.
        Assert.Equal((10_040.00m, 10_040.00m), Figures(engine, 1000));
        Assert.Equal((4_984.80m, 4_984.80m), Figures(engine, 1001));
        Assert.Equal((1_700.00m, 1_700.00m), Figures(engine, 1002));
    }

    [Fact]
    public async Task Recovery_from_a_format_1_snapshot_and_the_journal_tail_gives_the_old_figures()
    {
        using var dir = CopyOfFixture();
        var (store, runner) = DurableStoreTests.Start(dir.Path);
        try
        {
            Assert.Equal(28, store.Report.Snapshot!.Sequence);
            Assert.Equal(1, store.Report.Snapshot.FormatVersion);
            Assert.Equal(8, store.Report.CommandsReplayed);
            var engine = store.Engine;
            Assert.Equal(36, engine.LastSequence);
            // The old code's figures at sequence 36 (Fixtures/snapshot-v1/README.md).
            Assert.Equal((10_119.20m, 10_040.00m), Figures(engine, 1000));
            Assert.Equal((5_084.79m, 4_984.80m), Figures(engine, 1001));
            Assert.Equal(500m, engine.GetAccount(1001)!.Margin.Credit);
            Assert.Equal((1_729.60m, 1_700.00m), Figures(engine, 1002));
            Assert.Equal([7, 9, 18], engine.GetPositions().Select(p => p.Ticket).Order());
            Assert.Equal(60, engine.GetTrade(7)!.Volume);
            Assert.Equal("edited after snapshot", engine.GetTrade(9)!.Comment);
            Assert.Equal([14, 19], engine.GetPendingOrders().Select(p => p.Ticket).Order());
            // Idempotency keys of the snapshot are live: a retry answers the original outcome.
            Assert.NotNull(engine.FindIdempotency("manager:1", "dep-a-1"));
            Assert.NotNull(engine.FindIdempotency("manager:1", "dep-b-2"));
        }
        finally
        {
            await DurableStoreTests.StopAsync(store, runner);
        }
    }

    [Fact]
    public async Task An_old_data_directory_verifies_healthy_and_snapshot_plus_tail_equals_a_full_replay()
    {
        using var dir = CopyOfFixture();
        var report = DataTools.Verify(dir.Path);

        Assert.True(report.Healthy, string.Join("; ", report.Problems));
        Assert.Equal(36, report.LastSequence);
        Assert.Equal(report.FullReplayStateHash, report.StateHash);

        // The next snapshot is written in the current format and proves itself by its hash.
        var compacted = await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 2 });
        Assert.Equal(EngineSnapshot.CurrentFormat, compacted.Snapshot!.FormatVersion);
        var (info, engine) = SnapshotStore.LoadVerified(compacted.Snapshot.Path);
        Assert.Equal(report.StateHash, info.StateHash);
        Assert.Equal(report.StateHash, engine.StateHash());
    }

    private static (decimal Balance, decimal PreviousDay) Figures(TradingEngine engine, long login)
    {
        var margin = engine.GetAccount(login)!.Margin;
        return (margin.Balance, margin.PreviousDayBalance);
    }
}
