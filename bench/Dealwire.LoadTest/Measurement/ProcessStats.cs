using System.Globalization;

namespace Dealwire.LoadTest.Measurement;

/// <summary>CPU time and resident memory of a process, read from /proc (Linux only).</summary>
public static class ProcessStats
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux

    /// <summary>User + system CPU seconds consumed so far; NaN when the process is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces: fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Resident set size in bytes; 0 when the process is gone.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>The 1-minute load average of the machine (other agents share it).</summary>
    public static double LoadAverage()
    {
        var text = File.ReadAllText("/proc/loadavg");
        return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>CPU used by one process over a measurement window, in cores (1.0 = one core busy).</summary>
public sealed class CpuWindow(int pid)
{
    private readonly double _startCpu = ProcessStats.CpuSeconds(pid);
    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();

    public double Cores()
    {
        var cpu = ProcessStats.CpuSeconds(pid) - _startCpu;
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds;
        return wall <= 0 ? 0 : cpu / wall;
    }
}
