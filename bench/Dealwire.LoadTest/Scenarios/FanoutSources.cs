using System.Globalization;
using System.Text;
using Dealwire.LoadTest.Targets;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Scenarios;

/// <summary>Where the fan-out scenario's ticks come from and how a subscriber subscribes to them.</summary>
public interface IFanoutSource : IAsyncDisposable
{
    int Port { get; }
    byte[] SubscribeRequest { get; }
    bool Subscribed(string reply);
    int LinesPerDelivery { get; }
    int ServerPid { get; }
    /// <summary>The publisher's process when it is not the server itself (Redis), else null.</summary>
    int? FeedPid { get; }
    /// <summary>Starts the ticks; returns the earliest Unix ms the feed may have started at.</summary>
    Task<long> StartFeedAsync();
}

/// <summary>
/// Dealwire with its replay feed playing the tape from startup (speed rate/1000; 0 = as fast as the engine
/// takes ticks: the feed waits for room in the engine's queue, the same back-pressure the baselines' feeds get).
/// </summary>
public sealed class DealwireSource(DealwireServer server) : IFanoutSource
{
    public static async Task<DealwireSource> StartAsync(BenchOptions options, string target, string tapeCsv, double rate)
    {
        var server = await DealwireServer.StartAsync(options.ServerDll, ReplaySettings(target, tapeCsv, rate));
        return new DealwireSource(server);
    }

    /// <summary>Server settings for a Dealwire target whose replay feed plays <paramref name="tapeCsv"/> at <paramref name="rate"/> ticks/s, looping, stamped with the wall clock.</summary>
    public static Dictionary<string, string> ReplaySettings(string target, string tapeCsv, double rate) => new([DealwireServer.DurabilityOf(target)])
    {
        ["DEALWIRE__Feed__Kind"] = "Replay",
        ["DEALWIRE__Feed__ReplayFile"] = tapeCsv,
        ["DEALWIRE__Feed__ReplaySpeed"] = (rate / 1000).ToString(CultureInfo.InvariantCulture),
        ["DEALWIRE__Feed__ReplayLoop"] = "true",
        ["DEALWIRE__Feed__ReplayRebaseTime"] = "true",
    };

    public ServerProcess Process => server.Process;
    public byte[] Request(string command, string data, string extId) => server.Request(command, data, extId);
    public int Port => server.Port;
    public byte[] SubscribeRequest => server.Request("SubscribeAll", "{}", "sub");
    public bool Subscribed(string reply) => Replied(reply, "sub");
    public int LinesPerDelivery => 1;
    public int ServerPid => server.Process.Pid;
    public int? FeedPid => null;
    public Task<long> StartFeedAsync() => Task.FromResult(server.Process.LaunchedUnixMs);
    public ValueTask DisposeAsync() => server.DisposeAsync();

    /// <summary>True once the reply to <paramref name="extId"/> arrived; throws when it is not a success.</summary>
    public static bool Replied(string text, string extId)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.Contains($"\"extID\":\"{extId}\"", StringComparison.Ordinal)) continue;
            if (!line.Contains("\"status\":200", StringComparison.Ordinal)) throw new InvalidOperationException($"Request {extId} failed: {line}");
            return true;
        }
        return false;
    }
}

/// <summary>The transport ceiling child process, fed by its own pacer.</summary>
public sealed class CeilingSource(ChildServer child, double rate, int tapeLength) : IFanoutSource
{
    public int Port => child.Port;
    public byte[] SubscribeRequest => Encoding.UTF8.GetBytes("{\"command\":\"SubscribeAll\",\"data\":{},\"extID\":\"sub\",\"__token\":\"-\"}\r\n");
    public bool Subscribed(string reply) => DealwireSource.Replied(reply, "sub");
    public int LinesPerDelivery => 1;
    public int ServerPid => child.Process.Pid;
    public int? FeedPid => null;

    public async Task<long> StartFeedAsync()
    {
        var start = await child.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"start {rate} {tapeLength}"));
        return (long)double.Parse(start, CultureInfo.InvariantCulture) - 1000;
    }

    public async ValueTask DisposeAsync()
    {
        await child.CommandAsync("stop");
        await child.DisposeAsync();
    }
}

/// <summary>Redis pub/sub: the shared redis-server, a publisher child per run, one channel per symbol.</summary>
public sealed class RedisSource(RedisServer redis, ChildServer publisher, double rate, int tapeLength) : IFanoutSource
{
    private static readonly string Channels = string.Join(' ', TickTape.Demo.Select(s => s.Name));

    public int Port => redis.Port;
    public byte[] SubscribeRequest => Resp(["SUBSCRIBE", .. Channels.Split(' ')]);
    public bool Subscribed(string reply) => reply.Split("subscribe\r\n").Length - 1 >= TickTape.Demo.Length;
    public int LinesPerDelivery => 7;
    public int ServerPid => redis.Process.Pid;
    public int? FeedPid => publisher.Process.Pid;

    public async Task<long> StartFeedAsync()
    {
        var start = await publisher.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"start {rate} {tapeLength}"));
        return (long)double.Parse(start, CultureInfo.InvariantCulture) - 1000;
    }

    public async ValueTask DisposeAsync()
    {
        await publisher.CommandAsync("stop");
        await publisher.DisposeAsync();
    }

    private static byte[] Resp(string[] words)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{words.Length}\r\n");
        foreach (var w in words) sb.Append(CultureInfo.InvariantCulture, $"${w.Length}\r\n{w}\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
