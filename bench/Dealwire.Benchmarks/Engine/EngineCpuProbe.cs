using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Dealwire.Benchmarks.Rules;

namespace Dealwire.Benchmarks.Engine;

/// <summary>
/// CPU time per operation of the engine benchmarks' workloads, for a shared machine where wall-clock
/// figures drift with other processes' load: <c>EngineCpuProbe.Run(Console.Out, "deal", 7)</c>.
/// Like BenchmarkDotNet it forces a full, compacting collection before each timed run, so figures do
/// not depend on where set-up garbage left the live objects. It measures the calling thread's CPU time
/// (collections run on that thread with non-concurrent GC; with background GC, gen2 marking runs on
/// another) and reports the median of the timed runs, the allocation per operation and the load average.
/// Workloads: <c>deal</c> / <c>deal1000</c> (open + close on an account holding 20 / 1 000 other positions), <c>ledger</c> (PostLedger), <c>tick0</c> / <c>tick900</c>
/// (a tick over 100 000 positions with 0 / 900 000 others), <c>trigger</c> (1 % SL + 10 % orders).
/// </summary>
public static class EngineCpuProbe
{
    public static void Run(TextWriter output, string workload, int runs = 7)
    {
        switch (workload)
        {
            case "deal" or "deal1000":
            {
                var bench = new MarketDealBenchmarks { OpenPositions = workload == "deal" ? 20 : 1_000 };
                bench.Setup();
                Measure(output, $"open + close, {bench.OpenPositions} positions open", runs, 100_000, 50_000, bench.OpenAndClose, "µs per pair", 1e3);
                break;
            }
            case "ledger":
            {
                var bench = new LedgerBenchmarks();
                bench.Setup();
                Measure(output, "PostLedger", runs, 100_000, 50_000, bench.Deposit, "µs per command", 1e3);
                break;
            }
            case "tick0" or "tick900":
            {
                var bench = new TickBenchmarks { OtherPositions = workload == "tick0" ? 0 : 900_000 };
                bench.Setup();
                // 100 000 positions per tick: ms per tick × 10 = ns per position.
                Measure(output, $"tick, {bench.OtherPositions} other positions", runs, 40, 20, () => bench.Tick(), "ns per position", 1e6 / 100_000);
                break;
            }
            case "trigger":
            {
                var bench = new TriggerTickBenchmarks();
                bench.Setup();
                var cpu = new List<double>();
                var bytes = new List<double>();
                const int warmUp = 10; // the trigger path runs only here: let tiered compilation finish first
                for (var r = 0; r < warmUp + runs; r++)
                {
                    bench.ArmTriggers();
                    ForceGarbageCollection();
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var start = ThreadCpuMilliseconds();
                    bench.TickTriggeringOnePercent();
                    if (r < warmUp) continue;
                    cpu.Add(ThreadCpuMilliseconds() - start);
                    bytes.Add(GC.GetAllocatedBytesForCurrentThread() - allocated);
                }
                Report(output, "tick firing 1 000 stops + 100 orders", cpu, bytes, "ms per tick");
                Measure(output, "tick crossing nothing", runs, 200, 200, () => bench.TickCrossingNothing(), "µs per tick", 1e3);
                break;
            }
            default:
                throw new ArgumentException($"unknown workload {workload}: deal, ledger, tick0, tick900, trigger", nameof(workload));
        }
    }

    private static void Measure(TextWriter output, string name, int runs, int perRun, int warmUp, Action operation, string unit, double scale)
    {
        for (var i = 0; i < warmUp; i++) operation();
        var cpu = new List<double>();
        var bytes = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            ForceGarbageCollection();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = ThreadCpuMilliseconds();
            for (var i = 0; i < perRun; i++) operation();
            cpu.Add((ThreadCpuMilliseconds() - start) * scale / perRun);
            bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)perRun);
        }
        Report(output, name, cpu, bytes, unit);
    }

    /// <summary>As BenchmarkDotNet does before each iteration: a full, compacting collection, so runs start alike.</summary>
    private static void ForceGarbageCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Report(TextWriter output, string name, List<double> cpu, List<double> bytes, string unit)
    {
        cpu.Sort();
        bytes.Sort();
        var load = LoadAverage.Now();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {cpu[cpu.Count / 2]:F3} {unit} CPU (min {cpu[0]:F3}, max {cpu[^1]:F3}), {bytes[bytes.Count / 2]:F0} B allocated per op; load {load}"));
    }

    /// <summary>CPU time of the calling thread; the process's on systems without a per-thread clock.</summary>
    private static double ThreadCpuMilliseconds()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var ts) == 0) return ts.Seconds * 1e3 + ts.Nanoseconds / 1e6;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }

    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
