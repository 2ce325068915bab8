using System.Globalization;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.TraderSocket.Tests.Infrastructure;

/// <summary>
/// The other API the tests trade on: Server API commands (<c>{"command","data","extID","__token"}</c>) over a raw
/// line connection, replies matched by extID, pushed lines skipped.
/// </summary>
public sealed class ServerApiCaller(LineClient client, string token) : IAsyncDisposable
{
    private long _next;

    public static async Task<ServerApiCaller> ConnectAsync(DealwireProcess server) =>
        new(await LineClient.ConnectAsync(server.ServerApiPort), server.AdminToken);

    public async Task<JsonElement> CallAsync(string command, object data)
    {
        var id = Send(command, data, out var line);
        await client.SendAsync(line);
        return await ReplyAsync(id, command);
    }

    /// <summary>Sends many commands in one write (pipelined) and waits for every reply.</summary>
    public async Task CallManyAsync(IEnumerable<(string Command, object Data)> commands)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var text = new System.Text.StringBuilder();
        foreach (var (command, data) in commands)
        {
            ids.Add(Send(command, data, out var line));
            text.Append(line).Append("\r\n");
        }
        await client.SendRawAsync(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
        while (ids.Count > 0)
        {
            var reply = TraderClient.Parse(await client.ReadLineAsync(TimeSpan.FromSeconds(30)));
            if (reply.ValueKind != JsonValueKind.Object || !reply.TryGetProperty("extID", out var x) || x.ValueKind != JsonValueKind.String) continue;
            if (!ids.Remove(x.GetString()!)) continue;
            Assert.True(reply.GetProperty("status").GetInt32() == 200, reply.GetRawText());
        }
    }

    private string Send(string command, object data, out string line)
    {
        var id = "t" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        line = JsonSerializer.Serialize(new Dictionary<string, object?> { ["command"] = command, ["data"] = data, ["extID"] = id, ["__token"] = token });
        return id;
    }

    private async Task<JsonElement> ReplyAsync(string id, string command)
    {
        while (true)
        {
            var line = await client.ReadLineAsync(TimeSpan.FromSeconds(20));
            if (!line.StartsWith('{')) continue;
            var reply = TraderClient.Parse(line);
            if (!reply.TryGetProperty("extID", out var x) || x.ValueKind != JsonValueKind.String || x.GetString() != id) continue;
            Assert.True(reply.GetProperty("status").GetInt32() == 200, $"{command}: {reply.GetRawText()}");
            return reply.GetProperty("data");
        }
    }

    /// <summary>A new account of <paramref name="group"/> with <paramref name="deposit"/> on it; returns its login.</summary>
    public async Task<long> NewAccountAsync(string group, decimal deposit)
    {
        var login = (await CallAsync("MngAddAccount", new { group, name = "Socket test", email = "socket@example.com", password = "secret1", leverage = 100, enable = 1 }))
            .GetProperty("login").GetInt64();
        await CallAsync("BalanceInSync", new { login, amount = deposit, comment = "opening deposit" });
        return login;
    }

    public Task<JsonElement> DepositAsync(long login, decimal amount, string comment) =>
        CallAsync("BalanceInSync", new { login, amount, comment });

    public async Task<long> OpenAsync(long login, string symbol, int cmd, int volume) =>
        (await CallAsync("MngOpenTradeSync", new { login, cmd, volume, symbol, sl = 0, tp = 0 })).GetProperty("order").GetInt64();

    public Task<JsonElement> CloseAsync(long login, long ticket) => CallAsync("MngCloseTradeSync", new { login, order = ticket });

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
