using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Dealwire.LoadTest.Clients;
using Dealwire.LoadTest.Measurement;
using Dealwire.LoadTest.Targets;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Scenarios;

/// <summary>
/// Idle connections: N authenticated connections, each subscribed to XAUUSD (which the tape never ticks,
/// so they stay idle), opened 200 at a time. Figures: time to connect and subscribe them all, server RSS
/// per connection (after − before), and the tick latency of probe connections while the N are held,
/// with the replay feed ticking EURUSD at 1 000/s.
/// </summary>
public sealed class ConnectionsScenario(BenchOptions options, ProgressUi ui, BenchResults results)
{
    private const string Name = "connections";
    private const double Rate = 1000;

    public async Task RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("dealwire-conns-").FullName;
        var tape = new TickTape([TickTape.Demo[0]], TickTape.LengthFor(Rate, 120));
        var csv = Path.Combine(work, "tape.csv");
        tape.WriteCsv(csv);
        try
        {
            for (var rep = 1; rep <= options.Repetitions; rep++)
            {
                await ui.StepAsync($"{Name} dealwire {options.IdleConnections} #{rep}", async progress =>
                {
                    await using var source = await DealwireSource.StartAsync(options, DealwireServer.Fsync, csv, Rate); // the default durability
                    results.Runs.Add(await MeasureAsync(source, tape, rep, progress));
                });
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        var perConnection = results.Median(Name, "dealwire", Setting, "rss KB/conn");
        results.Ratios.Add(new Ratio(Name, Setting, "rss KB/conn (absolute)", "–", perConnection, "< 40 KB", double.IsNaN(perConnection) ? null : perConnection < 40));
        results.Notes.Add($"connections: ulimit -n of the tool = {Limits()} (the server inherits it; .NET raises the soft limit to the hard one).");
    }

    private string Setting => options.IdleConnections.ToString(CultureInfo.InvariantCulture);

    private async Task<RunRecord> MeasureAsync(DealwireSource source, TickTape tape, int rep, Action<double> progress)
    {
        var probes = new List<TickSubscriber>();
        for (var i = 0; i < Math.Max(1, options.Probes); i++)
        {
            var socket = await Loopback.ConnectAsync(source.Port, CancellationToken.None);
            await Loopback.HandshakeAsync(socket, source.SubscribeRequest, source.Subscribed, TimeSpan.FromSeconds(30));
            probes.Add(new TickSubscriber(socket, tape, probe: true, 1));
        }
        await Task.Delay(1000);
        GC.Collect();
        var rssBefore = ProcessStats.RssBytes(source.ServerPid);
        var idle = new List<Socket>(options.IdleConnections);
        var subscribe = source.Request("Subscribe", "{\"chanels\":[\"XAUUSD\"]}", "idle");
        var clock = Stopwatch.StartNew();
        try
        {
            for (var done = 0; done < options.IdleConnections;)
            {
                var batch = Math.Min(200, options.IdleConnections - done);
                var sockets = await Task.WhenAll(Enumerable.Range(0, batch).Select(async _ =>
                {
                    var s = await Loopback.ConnectAsync(source.Port, CancellationToken.None);
                    await Loopback.HandshakeAsync(s, subscribe, r => DealwireSource.Replied(r, "idle"), TimeSpan.FromSeconds(60));
                    return s;
                }));
                idle.AddRange(sockets);
                done += batch;
                progress(0.5 * done / options.IdleConnections);
            }
            var connectSeconds = clock.Elapsed.TotalSeconds;
            await Task.Delay(2000); // let the server's buffers settle before reading RSS
            var rssAfter = ProcessStats.RssBytes(source.ServerPid);

            using var stop = new CancellationTokenSource();
            var loops = probes.Select(p => Task.Run(() => p.RunAsync(stop.Token))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            var windowStart = Pacer.NowUnixMs();
            var window = Stopwatch.StartNew();
            while (window.Elapsed.TotalSeconds < options.DurationSeconds)
            {
                progress(0.5 + 0.5 * window.Elapsed.TotalSeconds / options.DurationSeconds);
                await Task.Delay(200);
            }
            var windowEnd = Pacer.NowUnixMs();
            await stop.CancelAsync();
            foreach (var p in probes) p.Socket.Dispose();
            await Task.WhenAll(loops);
            var analysis = TickLatency.Analyze(probes.SelectMany(p => p.Samples), tape.Length, Rate, source.Process.LaunchedUnixMs, windowStart, windowEnd);
            var metrics = new Dictionary<string, double>
            {
                ["connections"] = idle.Count,
                ["connect s"] = connectSeconds,
                ["connects/s"] = idle.Count / connectSeconds,
                ["rss before MB"] = rssBefore / 1048576.0,
                ["rss after MB"] = rssAfter / 1048576.0,
                ["rss KB/conn"] = (rssAfter - rssBefore) / 1024.0 / idle.Count,
                ["tick p50 µs"] = analysis.Histogram.Percentile(0.5),
                ["tick p99 µs"] = analysis.Histogram.Percentile(0.99),
                ["tick p99.9 µs"] = analysis.Histogram.Percentile(0.999),
            };
            return new RunRecord(Name, "dealwire", Setting, rep, ProcessStats.LoadAverage(), metrics);
        }
        finally
        {
            foreach (var s in idle) s.Dispose();
            foreach (var p in probes) p.Socket.Dispose();
        }
    }

    private static string Limits()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            return string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(3).Take(2));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
