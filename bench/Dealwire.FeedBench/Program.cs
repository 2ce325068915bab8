using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dealwire.Feeds.Feeder;
using Dealwire.Testing;

// Feeder-endpoint throughput: starts the real `dealwire serve` (journal on, as in production; no synthetic feed),
// connects N feeders and writes ticks as fast as the server takes them for a fixed time. Reports ticks/s accepted
// (from the feeders' ping barrier and /health) and applied by the engine, and the load average around the run.
// Usage: dotnet run -c Release --project bench/Dealwire.FeedBench -- [seconds=10] [feeders=1]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var feeders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
string[] symbols = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US500", "BTCUSD"];
decimal[] mids = [1.1m, 1.25m, 150m, 2000m, 5000m, 60000m];

var options = new DealwireProcessOptions();
options.Environment["DEALWIRE__Feed__Kind"] = "None";
options.Environment["DEALWIRE__Logging__LogLevel__Default"] = "Warning";
string key = "";
options.BeforeFirstStart = server =>
{
    key = new FeederKeyStore(server.DataDir).Issue("bench", null, DateTimeOffset.UtcNow);
    return Task.CompletedTask;
};
await using var server = await DealwireProcess.StartAsync(options);
var before = (await server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64();
Console.WriteLine($"load before: {LoadAverage()}");

// Ticks pre-encoded in 64 KiB blocks: the feeder side costs a socket write per block, not a format per tick.
var block = BuildBlock(symbols, mids, out var ticksPerBlock);
var clock = Stopwatch.StartNew();
var sent = await Task.WhenAll(Enumerable.Range(0, feeders).Select(_ => FeedAsync(server.FeederPort, key, block, ticksPerBlock, TimeSpan.FromSeconds(seconds))));
var acceptedAt = clock.Elapsed;
var total = sent.Sum();
// Wait for the engine to drain its queue: the count stops moving (ticks the engine ignores as older than the
// symbol's last one, possible with several feeders on one symbol, never arrive).
long applied = -1;
var appliedAt = clock.Elapsed;
while (clock.Elapsed < acceptedAt + TimeSpan.FromSeconds(60))
{
    var now = (await server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64() - before;
    if (now != applied) (applied, appliedAt) = (now, clock.Elapsed);
    else if (applied >= total || clock.Elapsed - appliedAt > TimeSpan.FromSeconds(1)) break;
    await Task.Delay(20);
}
var health = await server.GetHealthAsync();
var source = health.GetProperty("feed").GetProperty("sources").EnumerateArray().First(s => s.GetProperty("name").GetString() == "bench");
Console.WriteLine($"feeders {feeders}, {seconds} s: {total:N0} ticks sent and queued (barrier) in {acceptedAt.TotalSeconds:0.00} s = {total / acceptedAt.TotalSeconds:N0} ticks/s");
Console.WriteLine($"engine applied {applied:N0} by {appliedAt.TotalSeconds:0.00} s = {applied / appliedAt.TotalSeconds:N0} ticks/s; accepted {source.GetProperty("accepted").GetInt64():N0}, filtered {source.GetProperty("filtered").GetInt64():N0}, dropped {health.GetProperty("ticksDropped").GetInt64():N0}");
var journal = new DirectoryInfo(Path.Combine(server.DataDir, "journal")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
Console.WriteLine($"journal: {journal / (1024.0 * 1024):N1} MiB written ({(double)journal / Math.Max(1, applied):N1} bytes per tick)");
Console.WriteLine($"load after: {LoadAverage()}");
return 0;

static async Task<long> FeedAsync(int port, string key, byte[] block, int ticksPerBlock, TimeSpan duration)
{
    using var client = new TcpClient { NoDelay = false, SendBufferSize = 1 << 20 };
    await client.ConnectAsync("127.0.0.1", port);
    var stream = client.GetStream();
    await stream.WriteAsync(Encoding.ASCII.GetBytes(key + "\n"));
    var reader = new StreamReader(stream, Encoding.UTF8);
    var welcome = await reader.ReadLineAsync();
    if (welcome is null || !welcome.Contains("\"ok\":true", StringComparison.Ordinal)) throw new InvalidOperationException("feeder refused: " + welcome);
    long ticks = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < duration)
    {
        await stream.WriteAsync(block);
        ticks += ticksPerBlock;
    }
    // The barrier: the pong comes after every earlier tick is in the engine's queue.
    await stream.WriteAsync("{\"ping\":\"end\"}\n"u8.ToArray());
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.Contains("\"pong\"", StringComparison.Ordinal)) return ticks;
        if (line.Contains("\"error\"", StringComparison.Ordinal)) throw new InvalidOperationException("feeder error: " + line);
    }
    throw new InvalidOperationException("the server closed the feeder");
}

static byte[] BuildBlock(string[] symbols, decimal[] mids, out int ticks)
{
    var text = new StringBuilder();
    ticks = 0;
    while (text.Length < 64 * 1024)
    {
        var i = ticks % symbols.Length;
        // Walk a few points around the mid: well inside the spike filter's 3 %.
        var bid = mids[i] * (1m + ((ticks / symbols.Length) % 20) * 0.00001m);
        text.Append(CultureInfo.InvariantCulture, $$"""{"symbol":"{{symbols[i]}}","bid":{{bid}},"ask":{{bid * 1.0001m}}}""").Append('\n');
        ticks++;
    }
    return Encoding.ASCII.GetBytes(text.ToString());
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
