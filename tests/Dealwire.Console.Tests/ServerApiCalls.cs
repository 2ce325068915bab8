using System.Globalization;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Console.Tests;

/// <summary>The Server API over a real socket: what another back-office system does while the dealer watches the console.</summary>
public sealed class ServerApiCalls(LineClient client, string token) : IAsyncDisposable
{
    private long _next;

    public static async Task<ServerApiCalls> ConnectAsync(DealwireProcess server) =>
        new(await LineClient.ConnectAsync(server.ServerApiPort), server.AdminToken);

    /// <summary>Sends a command and returns the <c>data</c> of its reply; a non-200 status fails the test.</summary>
    public async Task<JsonElement> CallAsync(string command, object data)
    {
        var id = "t" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        await client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?> { ["command"] = command, ["data"] = data, ["extID"] = id, ["__token"] = token }));
        var line = await client.WaitForAsync(l => l.StartsWith('{') && l.Contains($"\"extID\":\"{id}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        using var doc = JsonDocument.Parse(line);
        var status = doc.RootElement.GetProperty("status").GetInt32();
        Assert.True(status == 200, $"{command} answered {line}");
        return doc.RootElement.GetProperty("data").Clone();
    }

    public async Task<long> AddAccountAsync(string group, string name, string email, decimal deposit = 0)
    {
        var login = (await CallAsync("MngAddAccount", new { group, name, email, password = "secret1", leverage = 100, enable = 1 })).GetProperty("login").GetInt64();
        if (deposit > 0) await CallAsync("BalanceInSync", new { login, amount = deposit });
        return login;
    }

    public async Task<long> OpenAsync(long login, string symbol, int volume) =>
        (await CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume, symbol, sl = 0, tp = 0 })).GetProperty("order").GetInt64();

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
