using BenchmarkDotNet.Attributes;
using Dealwire.Persistence;
using Dealwire.Persistence.Journal;
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

    /// <summary>With and without the diagnostic hash of the recovered state (<see cref="DurabilityOptions.HashRecoveredState"/>).</summary>
    [Params(true, false)]
    public bool HashRecoveredState { get; set; } = true;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "dealwire-bench-recovery-" + Guid.NewGuid().ToString("N"));
        PersistenceWorkload.WriteJournal(_dir, Commands);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Size of the journal written by <see cref="Setup"/>.</summary>
    public long JournalBytes => Directory.EnumerateFiles(Path.Combine(_dir, "journal"), "*.wal").Sum(f => new FileInfo(f).Length);

    /// <summary>Reads, checks (CRC32C, sequence) and decodes the whole journal without replaying it.</summary>
    [Benchmark]
    public long DecodeOnly()
    {
        long decoded = 0;
        JournalReader.Read(Path.Combine(_dir, "journal"), 0, (sequence, codec, payload, _, _) =>
        {
            if (CommandCodec.Read(codec, sequence, payload).Sequence == sequence) decoded++;
        }, checkCoveredSegments: true);
        return decoded;
    }

    /// <summary>The engine's share alone: decodes everything first, then times the replay into a fresh engine and its state hash.</summary>
    public (TimeSpan Replay, TimeSpan Hash) ApplyOnly()
    {
        var commands = new List<Dealwire.Engine.Commands.EngineCommand>(Commands + 100);
        JournalReader.Read(Path.Combine(_dir, "journal"), 0, (sequence, codec, payload, _, _) => commands.Add(CommandCodec.Read(codec, sequence, payload)), checkCoveredSegments: true);
        var engine = new Dealwire.Engine.Core.TradingEngine();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var command in commands) engine.Execute(command);
        var apply = clock.Elapsed;
        clock.Restart();
        _ = engine.StateHash();
        return (apply, clock.Elapsed);
    }

    [Benchmark]
    public long RecoverFromJournal()
    {
        var options = new DurabilityOptions { SnapshotOnShutdown = false, SnapshotEveryCommands = 0, SnapshotInterval = TimeSpan.Zero, HashRecoveredState = HashRecoveredState };
        var store = DurableStore.Open(_dir, options, NullLogger.Instance);
        var replayed = store.Report.CommandsReplayed;
        store.CloseAsync().GetAwaiter().GetResult();
        return replayed;
    }
}
