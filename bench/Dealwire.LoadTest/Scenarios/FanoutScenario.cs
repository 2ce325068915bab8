using System.Diagnostics;
using System.Globalization;
using Dealwire.LoadTest.Clients;
using Dealwire.LoadTest.Measurement;
using Dealwire.LoadTest.Targets;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Scenarios;

/// <summary>
/// Quote fan-out: C connections subscribed to every symbol, the same tape played at each rate by Dealwire's
/// replay feed, by Redis pub/sub and by the transport ceiling, interleaved A B C A B C per rate.
/// Figures: deliveries/s summed over all clients, feed-time → receipt latency on probe connections,
/// server and load-generator CPU, server RSS.
/// </summary>
public sealed class FanoutScenario(BenchOptions options, ProgressUi ui, BenchResults results)
{
    private const string Name = "fanout";

    public async Task RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("dealwire-fanout-").FullName;
        RedisServer? redis = options.Targets.Contains("redis") ? await RedisServer.StartAsync() : null;
        try
        {
            foreach (var rate in options.Rates)
            {
                var tape = new TickTape(TickTape.Demo, rate > 0 ? TickTape.LengthFor(rate, 60) : 60_000);
                var csv = Path.Combine(work, $"tape-{tape.Length}.csv");
                if (!File.Exists(csv)) tape.WriteCsv(csv);
                for (var rep = 1; rep <= options.Repetitions; rep++)
                {
                    foreach (var target in options.Targets)
                    {
                        var label = $"{Name} {target} {BenchOptions.RateLabel(rate)} #{rep}";
                        await ui.StepAsync(label, async progress =>
                        {
                            await using IFanoutSource source = target switch
                            {
                                DealwireServer.NoDurability or DealwireServer.Fsync => await DealwireSource.StartAsync(options, target, csv, rate),
                                "ceiling" => new CeilingSource(await ChildServer.StartAsync("ceiling", []), rate, tape.Length),
                                "redis" => new RedisSource(redis!, await ChildServer.StartAsync("redis-feed", ["--redis-port", redis!.Port.ToString(CultureInfo.InvariantCulture)]), rate, tape.Length),
                                _ => throw new ArgumentException($"unknown fan-out target {target} (dealwire, dealwire-fsync, redis, ceiling)"),
                            };
                            results.Runs.Add(await MeasureAsync(source, target, tape, rate, rep, progress));
                        });
                    }
                }
                var setting = BenchOptions.RateLabel(rate);
                foreach (var ours in options.Targets.Where(DealwireServer.IsDealwire))
                {
                    foreach (var versus in options.Targets.Where(t => !DealwireServer.IsDealwire(t)))
                    {
                        var goal = versus == "redis" ? 1.5 : 0.6;
                        results.AddRatio(Name, setting, "deliveries/s", versus, $"≥ {goal}", v => v >= goal, ours);
                        if (rate > 0) results.AddRatio(Name, setting, "p99 µs", versus, "lower is better", null, ours);
                    }
                }
            }
        }
        finally
        {
            if (redis is not null) await redis.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
        results.Notes.Add("fanout: latency = client receipt − the feed's timestamp of the tick (replay schedule), start recovered to the ms from the wire's seconds; ±0.5 ms, identical estimator for every target. 'max' runs measure throughput only.");
        results.Notes.Add("fanout: 'dealwire' runs with Durability:Mode=None (ticks journaled, not waited for), 'dealwire-fsync' with the default Fsync; quotes never wait for the journal in either.");
        results.Notes.Add("fanout: Dealwire conflates quotes per symbol for a reader more than ServerApi:QuoteBacklogBytes (64 KB) behind (latest wins); Redis and the ceiling never drop, their max-rate feeds are back-pressured instead (2 000 unanswered PUBLISH / 256 KB unsent per connection).");
    }

    private async Task<RunRecord> MeasureAsync(IFanoutSource source, string target, TickTape tape, double rate, int rep, Action<double> progress)
    {
        var subscribers = await SubscribeAllAsync(source, tape);
        using var stop = new CancellationTokenSource();
        var loops = subscribers.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToArray();
        try
        {
            var earliestStart = await source.StartFeedAsync();
            var warmup = Stopwatch.StartNew();
            while (warmup.Elapsed.TotalSeconds < options.WarmupSeconds) { progress(0); await Task.Delay(100); }

            var serverCpu = new CpuWindow(source.ServerPid);
            var feedCpu = source.FeedPid is { } feedPid ? new CpuWindow(feedPid) : null;
            var ownCpu = new CpuWindow(Environment.ProcessId);
            var startCount = subscribers.Sum(s => s.Deliveries);
            var windowStart = Pacer.NowUnixMs();
            var window = Stopwatch.StartNew();
            while (window.Elapsed.TotalSeconds < options.DurationSeconds)
            {
                progress(window.Elapsed.TotalSeconds / options.DurationSeconds);
                await Task.Delay(200);
            }
            var seconds = window.Elapsed.TotalSeconds;
            var delivered = subscribers.Sum(s => s.Deliveries) - startCount;
            var windowEnd = Pacer.NowUnixMs();
            var metrics = new Dictionary<string, double>
            {
                ["deliveries/s"] = delivered / seconds,
                ["server cpu"] = serverCpu.Cores(),
                ["server rss MB"] = ProcessStats.RssBytes(source.ServerPid) / 1048576.0,
                ["loadgen cpu"] = ownCpu.Cores(),
            };
            if (feedCpu is not null) metrics["feed cpu"] = feedCpu.Cores();
            await stop.CancelAsync();
            foreach (var s in subscribers) s.Socket.Dispose();
            await Task.WhenAll(loops);
            string? note = null;
            if (rate > 0)
            {
                var samples = subscribers.Where(s => s.IsProbe).SelectMany(s => s.Samples);
                var analysis = TickLatency.Analyze(samples, tape.Length, rate, earliestStart, windowStart, windowEnd);
                metrics["p50 µs"] = analysis.Histogram.Percentile(0.50);
                metrics["p99 µs"] = analysis.Histogram.Percentile(0.99);
                metrics["p99.9 µs"] = analysis.Histogram.Percentile(0.999);
                metrics["max µs"] = analysis.Histogram.Max;
                metrics["offered/s"] = rate * options.Connections;
                note = analysis.StartWidthMs switch
                {
                    < 0 => "latency: feed start could not be recovered (inconsistent samples)",
                    0 => null,
                    var w => string.Create(CultureInfo.InvariantCulture, $"latency: feed start known to {w + 1} ms only"),
                };
                if (analysis.Unplaced > 0) note = $"{note} {analysis.Unplaced} samples not placed".Trim();
            }
            return new RunRecord(Name, target, BenchOptions.RateLabel(rate), rep, ProcessStats.LoadAverage(), metrics) { Note = note };
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var s in subscribers) s.Socket.Dispose();
        }
    }

    private async Task<List<TickSubscriber>> SubscribeAllAsync(IFanoutSource source, TickTape tape)
    {
        var probeEvery = Math.Max(1, options.Connections / Math.Max(1, options.Probes));
        var list = new List<TickSubscriber>(options.Connections);
        for (var i = 0; i < options.Connections; i++)
        {
            var socket = await Loopback.ConnectAsync(source.Port, CancellationToken.None);
            await Loopback.HandshakeAsync(socket, source.SubscribeRequest, source.Subscribed, TimeSpan.FromSeconds(30));
            list.Add(new TickSubscriber(socket, tape, probe: i % probeEvery == 0 && list.Count(s => s.IsProbe) < options.Probes, source.LinesPerDelivery));
        }
        return list;
    }
}
