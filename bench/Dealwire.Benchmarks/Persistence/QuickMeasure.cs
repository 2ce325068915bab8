using System.Diagnostics;
using System.Globalization;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence;
using Dealwire.Persistence.Recovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.Persistence;

/// <summary>
/// A fast stand-in for the BenchmarkDotNet runs (seconds instead of minutes), same workloads:
/// <c>PersistenceQuickMeasure.RunAsync(Console.Out)</c>. Durable throughput: 3 timed runs of 100 000
/// commands per client count after a warm-up, best run reported. Recovery: 3 timed opens of a 1M-command journal.
/// </summary>
public static class PersistenceQuickMeasure
{
    public static async Task RunAsync(TextWriter output, int recoveryCommands = 1_000_000)
    {
        await RunThroughputAsync(output);
        RunRecovery(output, recoveryCommands);
    }

    /// <summary>Durable deposits per second at 1, 8 and 64 closed-loop clients, Fsync then Os mode.</summary>
    public static async Task RunThroughputAsync(TextWriter output)
    {
        foreach (var (mode, window) in new[] { (DurabilityMode.Fsync, 0), (DurabilityMode.Fsync, 200), (DurabilityMode.Os, 0) })
        {
            foreach (var clients in new[] { 1, 8, 64 })
            {
                var bench = new DurableThroughputBenchmarks { Clients = clients, Mode = mode, WindowMicroseconds = window };
                bench.Setup();
                try
                {
                    long key = 0;
                    var commands = clients == 1 ? 20_000 : 100_000;
                    await DurableThroughputBenchmarks.RunClients(GetRunner(bench), clients, commands / 5, () => Interlocked.Increment(ref key));
                    var best = 0d;
                    var syncsBefore = GetStore(bench).Journal.Statistics;
                    for (var run = 0; run < 3; run++)
                    {
                        var clock = Stopwatch.StartNew();
                        await DurableThroughputBenchmarks.RunClients(GetRunner(bench), clients, commands, () => Interlocked.Increment(ref key));
                        best = Math.Max(best, commands / clock.Elapsed.TotalSeconds);
                    }
                    var stats = GetStore(bench).Journal.Statistics;
                    var perSync = (stats.Commands - syncsBefore.Commands) / (double)Math.Max(1, stats.Writes - syncsBefore.Writes);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"durable {mode,-5} window={window,3} µs clients={clients,2}: {best,10:N0} commands/s  ({perSync:N1} commands per write, {stats.Syncs - syncsBefore.Syncs} fsyncs)"));
                }
                finally
                {
                    bench.Cleanup();
                }
            }
        }

    }

    /// <summary>
    /// Recovery of <paramref name="recoveryCommands"/> journaled commands, 3 runs, each after a read-only pass
    /// that reads, checks and decodes the same journal without the engine (what replay costs beyond the engine).
    /// </summary>
    public static void RunRecovery(TextWriter output, int recoveryCommands = 1_000_000)
    {
        var recovery = new RecoveryBenchmarks { Commands = recoveryCommands };
        recovery.Setup();
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"journal: {recovery.JournalBytes / 1048576.0:N1} MiB for {recoveryCommands:N0} commands"));
            for (var run = 0; run < 3; run++)
            {
                var clock = Stopwatch.StartNew();
                var decoded = recovery.DecodeOnly();
                var decode = clock.Elapsed;
                var (apply, hash) = recovery.ApplyOnly();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"parts alone: read + check + decode {decoded:N0} in {decode.TotalSeconds:N2} s; engine replay of decoded commands {apply.TotalSeconds:N2} s; TradingEngine.StateHash() {hash.TotalSeconds:N2} s"));
                foreach (var hashState in new[] { true, false })
                {
                    recovery.HashRecoveredState = hashState;
                    GC.Collect();
                    var pauseBefore = GC.GetTotalPauseDuration();
                    var cpuBefore = Environment.CpuUsage.TotalTime;
                    clock.Restart();
                    var replayed = recovery.RecoverFromJournal();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"recovery (hash {(hashState ? "on " : "off")}): {replayed:N0} commands in {clock.Elapsed.TotalSeconds:N2} s wall, {(Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds:N2} s CPU, GC pauses {(GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds:N2} s"));
                }
                GC.Collect();
            }
        }
        finally
        {
            recovery.Cleanup();
        }
    }

    private static EngineRunner GetRunner(DurableThroughputBenchmarks bench) => bench.Runner;

    private static DurableStore GetStore(DurableThroughputBenchmarks bench) => bench.Store;
}
