using System.Globalization;
using System.Text.Json;
using Dealwire.Feeds.Feeder;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Feeds.EndToEnd;

/// <summary>A feeder on the feeder endpoint: key line, tick lines, and ping/pong as the barrier that all earlier ticks are in.</summary>
internal sealed class FeederClient(LineClient line) : IAsyncDisposable
{
    private int _pings;

    public LineClient Line { get; } = line;

    public static async Task<FeederClient> ConnectAsync(DealwireProcess server, string key)
    {
        var line = await LineClient.ConnectAsync(server.FeederPort);
        await line.SendAsync(key);
        var welcome = JsonDocument.Parse(await line.ReadLineAsync()).RootElement;
        Assert.True(welcome.TryGetProperty("ok", out var ok) && ok.GetBoolean(), welcome.GetRawText());
        return new FeederClient(line);
    }

    public Task TickAsync(string symbol, decimal bid, decimal ask) =>
        Line.SendAsync(string.Create(CultureInfo.InvariantCulture, $$"""{"symbol":"{{symbol}}","bid":{{bid}},"ask":{{ask}}}"""));

    /// <summary>Returns once the server has queued every tick sent before this call.</summary>
    public async Task BarrierAsync()
    {
        var id = "b" + (++_pings).ToString(CultureInfo.InvariantCulture);
        await Line.SendAsync($$"""{"ping":"{{id}}"}""");
        await Line.WaitForAsync(l => l == $$"""{"pong":"{{id}}"}""", TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => Line.DisposeAsync();
}

internal static class FeedWire
{
    private static long _next;

    public static string IssueFeederKey(DealwireProcess server, string name, params string[] symbols) =>
        new FeederKeyStore(server.DataDir).Issue(name, symbols.Length == 0 ? null : symbols, DateTimeOffset.UtcNow);

    public static async Task<JsonElement> CallAsync(this LineClient client, string command, object? data, string token)
    {
        var id = "f" + Interlocked.Increment(ref _next).ToString("D8", CultureInfo.InvariantCulture);
        await client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?> { ["command"] = command, ["data"] = data ?? new { }, ["extID"] = id, ["__token"] = token }));
        var line = await client.WaitForAsync(l => l.StartsWith('{') && l.Contains($"\"extID\":\"{id}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var reply = JsonDocument.Parse(line).RootElement.Clone();
        Assert.True(reply.GetProperty("status").GetInt32() == 200, line);
        return reply;
    }

    public static bool IsQuote(string line, string symbol) => line.StartsWith($"[\"t\",\"{symbol}\",", StringComparison.Ordinal);

    /// <summary>The source named <paramref name="name"/> in /health's feed sources.</summary>
    public static async Task<JsonElement> SourceHealthAsync(DealwireProcess server, string name)
    {
        var health = await server.GetHealthAsync();
        foreach (var source in health.GetProperty("feed").GetProperty("sources").EnumerateArray())
        {
            if (source.GetProperty("name").GetString() == name) return source.Clone();
        }
        throw new InvalidOperationException($"no source {name} in /health: {health.GetRawText()}");
    }
}
