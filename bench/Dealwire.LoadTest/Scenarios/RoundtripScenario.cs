using System.Diagnostics;
using System.Globalization;
using Dealwire.LoadTest.Clients;
using Dealwire.LoadTest.Measurement;
using Dealwire.LoadTest.Targets;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Scenarios;

/// <summary>
/// Command round trips: K connections, each with a bounded number of slots in flight, every slot looping
/// MngOpenTradeSync → MngCloseTradeSync (+ BalanceIn every fourth loop) on the demo account. First at
/// maximum throughput (closed loop), then open loop at half of each target's own maximum, where latency
/// is counted from the moment a command was due (no coordinated omission). Baseline: the echo server.
/// </summary>
public sealed class RoundtripScenario(BenchOptions options, ProgressUi ui, BenchResults results)
{
    private const string Name = "roundtrip";

    public async Task RunAsync()
    {
        foreach (var phase in new[] { "max", "half" })
        {
            for (var rep = 1; rep <= options.Repetitions; rep++)
            {
                foreach (var target in options.Targets)
                {
                    var rate = phase == "max" ? 0 : results.Median(Name, target, "max", "commands/s") / 2;
                    await ui.StepAsync($"{Name} {target} {phase} #{rep}", async progress =>
                    {
                        var (port, token, pid, httpPort, dispose) = await StartAsync(target);
                        try
                        {
                            results.Runs.Add(await MeasureAsync(port, token, pid, httpPort, target, phase, rate, rep, progress));
                        }
                        finally
                        {
                            await dispose();
                        }
                    });
                }
            }
        }
        foreach (var ours in options.Targets.Where(DealwireServer.IsDealwire))
        {
            // Issue #14: ≥ 0.5× echo without durability, ≥ 0.4× with fsync; p99 at half of each one's own maximum ≤ 1.5× echo's.
            var floor = ours == DealwireServer.Fsync ? 0.4 : 0.5;
            results.AddRatio(Name, "max", "commands/s", "echo", $"≥ {floor}", v => v >= floor, ours);
            results.AddRatio(Name, "half", "p99 µs", "echo", "≤ 1.5", v => v <= 1.5, ours);
            var cpu = results.Median(Name, ours, "max", "server µs/cmd");
            results.Ratios.Add(new Ratio(Name, "max", $"{ours} server CPU µs per command (absolute)", "–", cpu, "≤ 20 µs", double.IsNaN(cpu) ? null : cpu <= 20)
            {
                Load = results.LoadRange(Name, "max", ours),
            });
        }
        if (options.Targets.Contains(ReplicaSetServer.Name) && options.Targets.Contains(DealwireServer.Fsync))
        {
            // Replication's price: a majority's fsync per batch instead of one, and two more processes on the same cores.
            results.AddRatio(Name, "max", "commands/s", DealwireServer.Fsync, "(measured)", dealwire: ReplicaSetServer.Name);
            results.AddRatio(Name, "half", "p99 µs", DealwireServer.Fsync, "(measured)", dealwire: ReplicaSetServer.Name);
            results.Notes.Add($"roundtrip: '{ReplicaSetServer.Name}' is three replicas on this machine (Fsync each), measured through the leader; a command is acknowledged once a majority holds it durably. Server CPU is the leader's only.");
        }
        if (options.Targets.Contains(ReplicaSetServer.GatewayName) && options.Targets.Contains(ReplicaSetServer.Name))
        {
            // A gateway's price: one more hop each way, and the reply waits until the gateway applied the command itself.
            results.AddRatio(Name, "max", "commands/s", ReplicaSetServer.Name, "(measured)", dealwire: ReplicaSetServer.GatewayName);
            results.AddRatio(Name, "half", "p99 µs", ReplicaSetServer.Name, "(measured)", dealwire: ReplicaSetServer.GatewayName);
            results.Notes.Add($"roundtrip: '{ReplicaSetServer.GatewayName}' is the same replica set with a gateway node in front, measured through the gateway (read-your-writes: a reply waits until the gateway applied its command). Server CPU is the gateway's only.");
        }
        results.Notes.Add("roundtrip: 'dealwire' runs with Durability:Mode=None (replies released before the journal write, like the echo server that persists nothing), 'dealwire-fsync' with the default Fsync (each reply waits for its batch's fsync).");
        results.Notes.Add("roundtrip: one command = one request/reply; open and close are the Sync forms (the reply waits for the engine's trade event). Server started with ServerApi:CommandsPerSecond raised to 10 000 000 (the default per-connection limit is 2 000/s).");
    }

    private async Task<(int Port, string Token, int Pid, int HttpPort, Func<ValueTask> Dispose)> StartAsync(string target)
    {
        switch (target)
        {
            case DealwireServer.NoDurability or DealwireServer.Fsync:
                if (options.Endpoint is not null) return (options.EndpointPort(), options.Token!, 0, 0, () => ValueTask.CompletedTask);
                var server = await DealwireServer.StartAsync(options.ServerDll,
                    new Dictionary<string, string>([DealwireServer.DurabilityOf(target)]) { ["DEALWIRE__Feed__Kind"] = "Synthetic" });
                return (server.Port, server.Token, server.Process.Pid, server.HttpPort, server.DisposeAsync);
            case ReplicaSetServer.Name or ReplicaSetServer.GatewayName:
                var cluster = await ReplicaSetServer.StartAsync(options.ServerDll,
                    new Dictionary<string, string>([DealwireServer.DurabilityOf(DealwireServer.Fsync)]) { ["DEALWIRE__Feed__Kind"] = "Synthetic" },
                    withGateway: target == ReplicaSetServer.GatewayName);
                var entry = cluster.Entry;
                return (entry.Port, entry.Token, entry.Process.Pid, entry.HttpPort, cluster.DisposeAsync);
            case "echo":
                var echo = await ChildServer.StartAsync("echo", []);
                return (echo.Port, "-", echo.Process.Pid, 0, echo.DisposeAsync);
            default:
                throw new ArgumentException($"unknown round-trip target {target} (dealwire, dealwire-fsync, {ReplicaSetServer.Name}, {ReplicaSetServer.GatewayName}, echo)");
        }
    }

    private async Task<RunRecord> MeasureAsync(int port, string token, int pid, int httpPort, string target, string phase, double rate, int rep, Action<double> progress)
    {
        using var stop = new CancellationTokenSource();
        var connections = new List<CommandConnection>();
        for (var i = 0; i < options.Connections; i++)
        {
            var c = new CommandConnection(await CommandConnection.ConnectAsync(port), token);
            c.Start(stop.Token);
            connections.Add(c);
        }
        var slots = connections.SelectMany(c => Enumerable.Range(0, options.InFlight).Select(_ => new Slot(c))).ToList();
        var measuring = false;
        long ticket = -1;
        var pacingStart = Stopwatch.GetTimestamp();
        async Task<double> Due()
        {
            if (rate <= 0) return Stopwatch.GetElapsedTime(pacingStart).TotalMilliseconds;
            var due = Interlocked.Increment(ref ticket) * 1000.0 / rate;
            var wait = due - Stopwatch.GetElapsedTime(pacingStart).TotalMilliseconds;
            if (wait >= 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), stop.Token);
            return due;
        }
        async Task<string> Call(Slot slot, string command, string data)
        {
            var due = await Due();
            var reply = await slot.Connection.SendAsync(command, data);
            var latencyMs = Stopwatch.GetElapsedTime(pacingStart).TotalMilliseconds - due;
            if (!Volatile.Read(ref measuring)) return reply;
            slot.Histogram.Record(latencyMs * 1000);
            slot.Commands++;
            if (!CommandConnection.IsOk(reply)) { slot.Errors++; slot.LastError = reply; }
            return reply;
        }

        var loops = slots.Select(s => Task.Run(() => TradeCycle.RunAsync((command, data) => Call(s, command, data), stop.Token))).ToArray();
        var warm = Stopwatch.StartNew();
        // The server's first HTTP request builds its whole HTTP stack (Kestrel's HTTP/1.1 path, routing, the endpoint's
        // request delegate, compiled from expression trees): about a third of a second of one core, once. Asked for here,
        // in the warm-up, it is not counted in the window's server CPU as if every command paid for it.
        await HistoryProgress.StartAsync(httpPort);
        while (warm.Elapsed.TotalSeconds < options.WarmupSeconds) { progress(0); await Task.Delay(100); }
        var loadAtStart = ProcessStats.LoadAverage();
        var history = await HistoryProgress.StartAsync(httpPort);
        var serverCpu = pid > 0 ? new CpuWindow(pid) : null;
        var ownCpu = new CpuWindow(Environment.ProcessId);
        Volatile.Write(ref measuring, true);
        var window = Stopwatch.StartNew();
        while (window.Elapsed.TotalSeconds < options.DurationSeconds)
        {
            progress(window.Elapsed.TotalSeconds / options.DurationSeconds);
            await Task.Delay(200);
        }
        Volatile.Write(ref measuring, false);
        var seconds = window.Elapsed.TotalSeconds;
        var histogram = new LatencyHistogram();
        foreach (var s in slots) histogram.Merge(s.Histogram);
        var metrics = new Dictionary<string, double>
        {
            ["commands/s"] = slots.Sum(s => s.Commands) / seconds,
            ["errors"] = slots.Sum(s => s.Errors),
            ["p50 µs"] = histogram.Percentile(0.5),
            ["p99 µs"] = histogram.Percentile(0.99),
            ["p99.9 µs"] = histogram.Percentile(0.999),
            ["loadgen cpu"] = ownCpu.Cores(),
        };
        if (serverCpu is not null)
        {
            metrics["server cpu"] = serverCpu.Cores();
            // CPU time of the server process per answered command (engine, journal, fan-out and gateway together).
            metrics["server µs/cmd"] = metrics["server cpu"] * 1e6 / metrics["commands/s"];
            metrics["server rss MB"] = ProcessStats.RssBytes(pid) / 1048576.0;
        }
        if (rate > 0) metrics["offered/s"] = rate;
        if (history is not null) await history.AddToAsync(metrics);
        await stop.CancelAsync();
        foreach (var c in connections) c.Socket.Dispose();
        await Task.WhenAll(loops.Select(l => l.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default)));
        var firstError = slots.FirstOrDefault(s => s.LastError is not null)?.LastError;
        return new RunRecord(Name, target, phase, rep, ProcessStats.LoadAverage(), metrics)
        {
            LoadAtStart = loadAtStart,
            Note = firstError is null ? null : $"first error: {firstError[..Math.Min(200, firstError.Length)]}",
        };
    }

    private sealed class Slot(CommandConnection connection)
    {
        public CommandConnection Connection => connection;
        public LatencyHistogram Histogram { get; } = new();
        public long Commands;
        public long Errors;
        public string? LastError;
    }
}
