using BenchmarkDotNet.Attributes;
using Dealwire.Persistence;
using Dealwire.Persistence.Recovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.Persistence;

/// <summary>
/// Start-up recovery with no snapshot: read, check (CRC32C, sequence), decode and replay 1 000 000
/// journaled commands (¾ deposits, ¼ ticks) into a fresh engine, then open the journal for appending.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RecoveryBenchmarks
{
    private string _dir = "";

    [Params(1_000_000)]
    public int Commands { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "dealwire-bench-recovery-" + Guid.NewGuid().ToString("N"));
        PersistenceWorkload.WriteJournal(_dir, Commands);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public long RecoverFromJournal()
    {
        var options = new DurabilityOptions { SnapshotOnShutdown = false, SnapshotEveryCommands = 0, SnapshotInterval = TimeSpan.Zero };
        var store = DurableStore.Open(_dir, options, NullLogger.Instance);
        var replayed = store.Report.CommandsReplayed;
        store.CloseAsync().GetAwaiter().GetResult();
        return replayed;
    }
}
