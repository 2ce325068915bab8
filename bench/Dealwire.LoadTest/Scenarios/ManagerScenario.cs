using System.Diagnostics;
using System.Globalization;
using Dealwire.LoadTest.Clients;
using Dealwire.LoadTest.Measurement;
using Dealwire.LoadTest.Targets;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Scenarios;

/// <summary>
/// Manager API under load: M manager connections (newer layout) subscribed to prices and calculation updates,
/// while the replay feed ticks at a fixed rate (the fan-out scenario's tape) and K Server API connections
/// trade on the demo account (the round-trip scenario's open/close/deposit cycle, closed loop).
/// Figures: price items/s per manager and in total, calculation frames and items/s, feed time → receipt
/// latency of price items (the newer layout carries the quote's feed time in ms), trade commands/s achieved,
/// server CPU and RSS.
/// </summary>
public sealed class ManagerScenario(BenchOptions options, ProgressUi ui, BenchResults results)
{
    private const string Name = "manager";

    public async Task RunAsync()
    {
        if (options.Endpoint is not null) throw new ArgumentException("the manager scenario starts its own server (it issues a Manager API key first); --endpoint is not supported");
        var work = Directory.CreateTempSubdirectory("dealwire-manager-").FullName;
        try
        {
            foreach (var rate in options.Rates)
            {
                if (rate <= 0) throw new ArgumentException("the manager scenario needs a fixed feed rate (--rate N)");
                var tape = new TickTape(TickTape.Demo, TickTape.LengthFor(rate, 60));
                var csv = Path.Combine(work, $"tape-{tape.Length}.csv");
                if (!File.Exists(csv)) tape.WriteCsv(csv);
                for (var rep = 1; rep <= options.Repetitions; rep++)
                {
                    foreach (var target in options.Targets)
                    {
                        await ui.StepAsync($"{Name} {target} {BenchOptions.RateLabel(rate)} #{rep}", async progress =>
                        {
                            string secret = "";
                            await using var server = await DealwireServer.StartAsync(options.ServerDll, DealwireSource.ReplaySettings(target, csv, rate),
                                async dataDir => secret = await DealwireServer.IssueManagerKeyAsync(options.ServerDll, dataDir, "loadtest", "*"));
                            results.Runs.Add(await MeasureAsync(server, secret, target, rate, rep, progress));
                        });
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        results.Notes.Add("manager: price latency = receipt − the quote's feed time (`date`, Unix ms, rebased replay schedule) on probe connections; ±1 ms (whole-ms stamps). Price items are counted per instrument (a frame carries every instrument changed since the last write: conflation, not loss).");
        results.Notes.Add("manager: calculation frames = `accounts|positions.update.calculate_updates` lines (every CalculationIntervalMs = 200 ms while something changed); items = accounts + positions in them.");
        results.Notes.Add("manager: traders = Server API connections × in-flight slots looping MngOpenTradeSync → MngCloseTradeSync (+ BalanceIn every 4th) on account 1000, closed loop (as fast as the server answers); trade commands/s counts replies.");
    }

    private async Task<RunRecord> MeasureAsync(DealwireServer server, string secret, string target, double rate, int rep, Action<double> progress)
    {
        using var stop = new CancellationTokenSource();
        var probeEvery = Math.Max(1, options.Connections / Math.Max(1, options.Probes));
        var managers = new List<ManagerSubscriber>(options.Connections);
        var traders = new List<CommandConnection>(options.Traders);
        try
        {
            for (var i = 0; i < options.Connections; i++)
            {
                var probe = i % probeEvery == 0 && managers.Count(m => m.IsProbe) < options.Probes;
                managers.Add(await ManagerSubscriber.ConnectAsync(server.ManagerPort, secret, probe, TimeSpan.FromSeconds(30)));
            }
            var readers = managers.Select(m => Task.Run(() => m.RunAsync(stop.Token))).ToArray();
            for (var i = 0; i < options.Traders; i++)
            {
                var c = new CommandConnection(await CommandConnection.ConnectAsync(server.Port), server.Token);
                c.Start(stop.Token);
                traders.Add(c);
            }
            var measuring = false;
            long commands = 0, errors = 0;
            string? lastError = null;
            async Task<string> Call(CommandConnection c, string command, string data)
            {
                var reply = await c.SendAsync(command, data);
                if (!Volatile.Read(ref measuring)) return reply;
                Interlocked.Increment(ref commands);
                if (!CommandConnection.IsOk(reply)) { Interlocked.Increment(ref errors); lastError = reply; }
                return reply;
            }
            var slots = traders.SelectMany(c => Enumerable.Range(0, options.InFlight).Select(_ => c)).ToList();
            var loops = slots.Select(c => Task.Run(() => TradeCycle.RunAsync((command, data) => Call(c, command, data), stop.Token))).ToArray();

            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < options.WarmupSeconds) { progress(0); await Task.Delay(100); }
            var serverCpu = new CpuWindow(server.Process.Pid);
            var ownCpu = new CpuWindow(Environment.ProcessId);
            foreach (var m in managers) m.Measuring = true;
            Volatile.Write(ref measuring, true);
            var startPrices = managers.Select(m => m.Prices).ToArray();
            var startFrames = managers.Sum(m => m.CalculationFrames);
            var startItems = managers.Sum(m => m.CalculationItems);
            var window = Stopwatch.StartNew();
            while (window.Elapsed.TotalSeconds < options.DurationSeconds)
            {
                progress(window.Elapsed.TotalSeconds / options.DurationSeconds);
                await Task.Delay(200);
            }
            Volatile.Write(ref measuring, false);
            foreach (var m in managers) m.Measuring = false;
            var seconds = window.Elapsed.TotalSeconds;
            var perManager = managers.Select((m, i) => (m.Prices - startPrices[i]) / seconds).Order().ToArray();
            var metrics = new Dictionary<string, double>
            {
                ["price items/s total"] = perManager.Sum(),
                ["price items/s per mgr (median)"] = perManager[perManager.Length / 2],
                ["price items/s per mgr (min)"] = perManager[0],
                ["offered ticks/s"] = rate,
                ["calc frames/s total"] = (managers.Sum(m => m.CalculationFrames) - startFrames) / seconds,
                ["calc items/s total"] = (managers.Sum(m => m.CalculationItems) - startItems) / seconds,
                ["trade commands/s"] = Interlocked.Read(ref commands) / seconds,
                ["trade errors"] = Interlocked.Read(ref errors),
                ["server cpu"] = serverCpu.Cores(),
                ["server rss MB"] = ProcessStats.RssBytes(server.Process.Pid) / 1048576.0,
                ["loadgen cpu"] = ownCpu.Cores(),
            };
            await stop.CancelAsync();
            foreach (var m in managers) m.Dispose();
            foreach (var c in traders) c.Socket.Dispose();
            await Task.WhenAll(readers.Concat(loops).Select(l => l.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default)));
            var latency = new LatencyHistogram();
            foreach (var m in managers.Where(m => m.IsProbe)) latency.Merge(m.Latency);
            metrics["p50 µs"] = latency.Percentile(0.50);
            metrics["p99 µs"] = latency.Percentile(0.99);
            metrics["p99.9 µs"] = latency.Percentile(0.999);
            metrics["max µs"] = latency.Count == 0 ? double.NaN : latency.Max;
            var note = $"{options.Connections} managers ({managers.Count(m => m.IsProbe)} probes, {latency.Count} price samples), {options.Traders} traders × {options.InFlight} in flight";
            if (lastError is not null) note += $"; first error: {lastError[..Math.Min(200, lastError.Length)]}";
            return new RunRecord(Name, target, BenchOptions.RateLabel(rate), rep, ProcessStats.LoadAverage(), metrics) { Note = note };
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var m in managers) m.Dispose();
            foreach (var c in traders) c.Socket.Dispose();
        }
    }
}
