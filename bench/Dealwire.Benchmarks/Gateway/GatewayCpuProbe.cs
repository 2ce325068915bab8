using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Dealwire.Benchmarks.Gateway;

/// <summary>
/// CPU time and allocation per command of the gateway's own path (<see cref="InProcessGateway"/>), for the shared
/// noisy machine where wall-clock means measure waiting for a core: <c>-- --gateway-probe</c>. Reports the median of
/// 7 runs of 50 000 commands each, measured with the calling thread's CPU clock, and the load average.
/// </summary>
public static class GatewayCpuProbe
{
    public static void Run(TextWriter output)
    {
        var bench = new GatewayCommandBenchmarks();
        bench.Setup();
        Measure(output, "parse envelope", () => bench.ParseEnvelope());
        Measure(output, "MngOpenTrade parse → dispatch → serialize", () => bench.OpenTradeAck());
        Measure(output, "MngOpenTradeSync parse → dispatch → serialize", () => bench.OpenTradeSync());
        // The connection's read side: a read of 64 command lines framed alone, then through the shared read loop.
        var reads = new ReadLoopProbe();
        Measure(output, "64 lines framed (LineFramer alone), per line", reads.FrameOnly, perCall: ReadLoopProbe.Lines);
        Measure(output, "64 lines through LineReadLoop, per line", reads.ThroughLoop, perCall: ReadLoopProbe.Lines);
    }

    private static void Measure(TextWriter output, string name, Action command, int runs = 7, int perRun = 50_000, int perCall = 1)
    {
        if (perCall > 1) perRun /= perCall;
        for (var i = 0; i < perRun; i++) command();
        var cpu = new List<double>();
        var bytes = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = ThreadCpuMicroseconds();
            for (var i = 0; i < perRun; i++) command();
            cpu.Add((ThreadCpuMicroseconds() - start) / perRun / perCall);
            bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)perRun / perCall);
        }
        cpu.Sort();
        bytes.Sort();
        var load = LoadAverage.Now();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {cpu[cpu.Count / 2]:F2} µs CPU per command (min {cpu[0]:F2}, max {cpu[^1]:F2}), {bytes[bytes.Count / 2]:F0} B allocated per command; load {load}"));
    }

    private static double ThreadCpuMicroseconds()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts) == 0) return ts.Seconds * 1e6 + ts.Nanoseconds / 1e3;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
