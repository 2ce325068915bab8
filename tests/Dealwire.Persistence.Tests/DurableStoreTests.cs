using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;
using Dealwire.Persistence.Snapshots;
using Dealwire.Persistence.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tests;

public class DurableStoreTests
{
    internal static DurabilityOptions Quiet(long segmentSize = 64L * 1024 * 1024) => new()
    {
        SnapshotOnShutdown = false,
        SnapshotEveryCommands = 0,
        SnapshotInterval = TimeSpan.Zero,
        SegmentSizeBytes = segmentSize,
    };

    internal static (DurableStore Store, EngineRunner Runner) Start(string dataDir, DurabilityOptions? options = null)
    {
        var store = DurableStore.Open(dataDir, options ?? Quiet(), NullLogger.Instance);
        var runner = new EngineRunner(store.Engine, store.Journal, new TestClock());
        runner.Start();
        store.StartSnapshots(runner);
        return (store, runner);
    }

    /// <summary>Graceful stop; returns the live state hash and last sequence just before closing.</summary>
    internal static async Task<(string Hash, long Sequence)> StopAsync(DurableStore store, EngineRunner runner)
    {
        await runner.StopAsync();
        var live = (store.Engine.StateHash(), store.Engine.LastSequence);
        await store.CloseAsync();
        return live;
    }

    internal static async Task<(string Hash, long Sequence)> RunSessionAsync(string dataDir, int operations, int seed, DurabilityOptions? options = null, bool setup = true, Func<DurableStore, EngineRunner, Task>? midway = null)
    {
        var (store, runner) = Start(dataDir, options);
        var workload = new Workload(runner);
        if (setup) await workload.SetupAsync();
        else foreach (var account in store.Engine.GetAccounts(Dealwire.Engine.Model.GroupMask.All)) workload.Accounts.Add(account.Profile.Login);
        await workload.RunAsync(4, operations / 8, seed);
        if (midway is not null) await midway(store, runner);
        await workload.RunAsync(4, operations / 8, seed + 1);
        return await StopAsync(store, runner);
    }

    [Fact]
    public async Task Recovery_from_the_journal_alone_reproduces_the_live_state()
    {
        using var dir = new TempDir();
        var live = await RunSessionAsync(dir.Path, 800, seed: 1);
        Assert.True(live.Sequence > 100);

        var (store, runner) = Start(dir.Path);
        Assert.Null(store.Report.Snapshot);
        Assert.Equal(live.Sequence, store.Report.CommandsReplayed);
        Assert.Equal(live.Sequence, store.Report.LastSequence);
        Assert.Equal(live.Hash, store.Report.StateHash);
        Assert.Null(store.Report.TornTail);
        EngineChecks.AssertBalancesEqualLedgers(store.Engine, dir.Path);
        await StopAsync(store, runner);
    }

    [Fact]
    public async Task Recovery_without_the_final_state_hash_recovers_the_same_state()
    {
        using var dir = new TempDir();
        var live = await RunSessionAsync(dir.Path, 200, seed: 3);
        var options = Quiet();
        options.HashRecoveredState = false;

        var (store, runner) = Start(dir.Path, options);
        Assert.Equal("", store.Report.StateHash);
        Assert.Equal(live.Sequence, store.Report.LastSequence);
        var after = await StopAsync(store, runner);
        Assert.Equal(live.Hash, after.Hash);
    }

    [Fact]
    public async Task Snapshot_plus_tail_and_journal_alone_agree()
    {
        using var dir = new TempDir();
        SnapshotInfo? taken = null;
        var live = await RunSessionAsync(dir.Path, 800, seed: 2, midway: async (store, runner) => taken = await store.SnapshotAsync(runner));
        Assert.NotNull(taken);

        var verify = DataTools.Verify(dir.Path);
        Assert.True(verify.Healthy, string.Join("; ", verify.Problems));
        Assert.Equal(taken.Sequence, verify.Snapshot!.Sequence);
        Assert.Equal(live.Hash, verify.StateHash);
        Assert.Equal(live.Hash, verify.FullReplayStateHash);
        Assert.Equal(live.Sequence, verify.LastSequence);
        Assert.Equal(live.Sequence, verify.Records);

        var (reopened, runner2) = Start(dir.Path);
        Assert.Equal(taken.Sequence, reopened.Report.Snapshot!.Sequence);
        Assert.Equal(live.Sequence - taken.Sequence, reopened.Report.CommandsReplayed);
        Assert.Equal(live.Hash, reopened.Report.StateHash);
        await StopAsync(reopened, runner2);
    }

    [Fact]
    public async Task Snapshot_restore_round_trip_gives_an_equal_state_hash()
    {
        using var dir = new TempDir();
        var (store, runner) = Start(dir.Path);
        var workload = new Workload(runner);
        await workload.SetupAsync();
        await workload.RunAsync(4, 100, seed: 3);
        var snapshot = await runner.ExclusiveAsync(e => e.CreateSnapshot());
        var liveHash = await runner.ExclusiveAsync(e => e.StateHash());
        await StopAsync(store, runner);

        Assert.Equal(liveHash, TradingEngine.Restore(snapshot).StateHash());
        var info = SnapshotFile.Write(dir.Snapshots, snapshot, fsync: true);
        var (_, engine) = SnapshotStore.LoadVerified(info.Path);
        Assert.Equal(liveHash, engine.StateHash());
        Assert.Equal(snapshot.LastSequence, engine.LastSequence);
        EngineChecks.AssertBalancesEqualLedgers(engine, dir.Path);
    }

    [Fact]
    public async Task A_graceful_shutdown_writes_a_snapshot_so_the_next_start_replays_nothing()
    {
        using var dir = new TempDir();
        var options = Quiet();
        options.SnapshotOnShutdown = true;
        var live = await RunSessionAsync(dir.Path, 400, seed: 4, options);

        var store = DurableStore.Open(dir.Path, options, NullLogger.Instance);
        var runner = new EngineRunner(store.Engine, store.Journal, new TestClock());
        runner.Start();
        Assert.Equal(live.Sequence, store.Report.Snapshot!.Sequence);
        Assert.Equal(0, store.Report.CommandsReplayed);
        Assert.Equal(live.Hash, store.Report.StateHash);

        // The journal continues after it: one more command, no snapshot at this stop, replayed on the next start.
        Assert.True((await runner.SubmitAsync(new CreateAccount(new Dealwire.Engine.Model.AccountProfile { Group = "demo" }))).IsOk);
        await runner.StopAsync();
        var hash = store.Engine.StateHash();
        options.SnapshotOnShutdown = false; // read at close
        await store.CloseAsync();
        var (again, runner2) = Start(dir.Path, Quiet());
        Assert.Equal(live.Sequence, again.Report.Snapshot!.Sequence);
        Assert.Equal(1, again.Report.CommandsReplayed);
        Assert.Equal(hash, again.Report.StateHash);
        await StopAsync(again, runner2);
    }

    [Fact]
    public async Task Replies_complete_in_order_only_after_their_commands_are_durable()
    {
        using var dir = new TempDir();
        var (store, runner) = Start(dir.Path);
        var workload = new Workload(runner);
        await workload.SetupAsync(accounts: 2);
        var login = workload.Accounts.First();
        var violations = 0;
        var completions = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var tasks = Enumerable.Range(0, 64).Select(async i =>
        {
            for (var k = 0; k < 20; k++)
            {
                var command = new PostLedger(login, Dealwire.Engine.Model.LedgerKind.Deposit, 1m);
                var result = await runner.SubmitAsync(command);
                Assert.True(result.IsOk);
                if (store.Journal.DurableSequence < command.Sequence) Interlocked.Increment(ref violations);
                completions.Enqueue(command.Sequence);
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var stats = store.Journal.Statistics;
        await StopAsync(store, runner);

        Assert.Equal(0, violations);
        Assert.Equal(64 * 20, completions.Count);
        Assert.True(stats.Syncs < stats.Commands, $"no group commit: {stats.Syncs} fsyncs for {stats.Commands} commands");
    }

    [Fact]
    public async Task A_journal_failure_fails_the_callers_and_raises_Faulted_and_no_shutdown_snapshot_is_written()
    {
        using var dir = new TempDir();
        var options = Quiet();
        options.SnapshotOnShutdown = true;
        var (store, runner) = Start(dir.Path, options);
        await new Workload(runner).SetupAsync(accounts: 1);
        Exception? faulted = null;
        store.Journal.Faulted += ex => faulted = ex;
        store.Journal.BeforeWrite = () => throw new IOException("no space left on device");

        var login = store.Engine.GetAccounts(Dealwire.Engine.Model.GroupMask.All).First().Profile.Login;
        var error = await Assert.ThrowsAsync<IOException>(() => runner.SubmitAsync(new PostLedger(login, Dealwire.Engine.Model.LedgerKind.Deposit, 5m)));
        Assert.Contains("no space left", error.InnerException!.Message);
        Assert.NotNull(faulted);
        await Assert.ThrowsAsync<IOException>(() => runner.SubmitAsync(new PostLedger(login, Dealwire.Engine.Model.LedgerKind.Deposit, 6m)));
        var durable = store.Journal.DurableSequence;
        await StopAsync(store, runner);

        Assert.Empty(Directory.GetFiles(dir.Snapshots));
        var (reopened, runner2) = Start(dir.Path);
        Assert.Equal(durable, reopened.Report.LastSequence);
        await StopAsync(reopened, runner2);
    }

    [Fact]
    public async Task Periodic_snapshots_retire_covered_segments_and_recovery_still_agrees()
    {
        using var dir = new TempDir();
        var options = Quiet(segmentSize: 8 * 1024);
        options.SnapshotEveryCommands = 150;
        options.SnapshotsToKeep = 2;
        // The periodic loop looks every 250 ms; a fast machine runs the whole session in less. Midway, wait
        // until a periodic snapshot has retired a segment, then keep trading.
        var live = await RunSessionAsync(dir.Path, 1600, seed: 5, options, midway: async (_, _) =>
        {
            for (var i = 0; i < 200 && JournalReader.ListSegments(dir.Journal)[0].FirstSequence == 1; i++) await Task.Delay(50);
        });

        var snapshots = SnapshotStore.List(dir.Snapshots);
        Assert.InRange(snapshots.Count, 1, 2);
        var segments = JournalReader.ListSegments(dir.Journal);
        Assert.True(segments[0].FirstSequence > 1, "no segment was retired");
        // Every remaining closed segment holds something the oldest kept snapshot does not.
        for (var i = 0; i + 1 < segments.Count; i++) Assert.True(segments[i + 1].FirstSequence - 1 > snapshots[^1].Sequence);

        var (store, runner) = Start(dir.Path);
        Assert.Equal(live.Hash, store.Report.StateHash);
        Assert.Equal(live.Sequence, store.Report.LastSequence);
        await StopAsync(store, runner);
    }

    [Fact]
    public async Task A_second_server_cannot_open_the_same_data_directory()
    {
        using var dir = new TempDir();
        var (store, runner) = Start(dir.Path);
        var error = Assert.Throws<IOException>(() => DurableStore.Open(dir.Path, Quiet(), NullLogger.Instance));
        Assert.Contains("in use", error.Message);
        await StopAsync(store, runner);
    }

    [Fact]
    public async Task Compact_snapshots_the_recovered_state_and_retires_covered_segments()
    {
        using var dir = new TempDir();
        var live = await RunSessionAsync(dir.Path, 800, seed: 6, Quiet(segmentSize: 8 * 1024));
        var before = JournalReader.ListSegments(dir.Journal).Count;

        var report = await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 1 });

        Assert.Equal(live.Sequence, report.Snapshot!.Sequence);
        Assert.Equal(live.Hash, report.Snapshot.StateHash);
        Assert.Equal(before - 1, report.Retention.SegmentsRetired);
        Assert.Single(JournalReader.ListSegments(dir.Journal));
        var verify = DataTools.Verify(dir.Path);
        Assert.True(verify.Healthy, string.Join("; ", verify.Problems));
        Assert.Equal(live.Hash, verify.StateHash);
        Assert.Null(verify.FullReplayStateHash); // the journal no longer starts at 1

        var again = await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 1 });
        Assert.Null(again.Snapshot);
        Assert.Equal(0, again.Retention.SegmentsRetired);
        Assert.Equal(live.Hash, again.Recovery.StateHash);
        Assert.Equal(0, again.Recovery.CommandsReplayed);
    }
}
