using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dealwire.Host.Tests.EndToEnd;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Observability;

/// <summary>
/// A real server that has seen every kind of traffic an operator watches: Server API and Manager API commands
/// (one the engine refuses), a client fault, a quote subscriber too slow for a fast feed (conflation) and a
/// Manager API reader that never reads (closed as slow). Its <c>/metrics</c> is scraped after all that.
/// </summary>
public sealed class TrafficFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _connections = [];
    private string _managerKey = "";

    public DealwireProcess Server { get; private set; } = null!;

    /// <summary>Logged-in connections still open when the scrape runs (one per protocol).</summary>
    public RecordedStream ServerApi { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                var key = await DealwireCli.RunAsync("key", "issue", "--manager", "ops", "--groups", "*", "--data-dir", server.DataDir);
                Assert.True(key.ExitCode == 0, key.ToString());
                _managerKey = key.StandardOutput.Trim();
            },
        };
        // A fast feed and no quote backlog before conflation (0 = always conflate), so quotes of one symbol that
        // wait together conflate; a small Manager API outbox, so a reader that never reads is closed after 64 KiB.
        options.Environment["DEALWIRE__Feed__TicksPerSecondPerSymbol"] = "200";
        options.Environment["DEALWIRE__ServerApi__QuoteBacklogBytes"] = "0";
        options.Environment["DEALWIRE__ManagerApi__MaxPendingReplyBytes"] = (64 * 1024).ToString(CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ManagerApi__HeartbeatTimeoutSeconds"] = "60";
        Server = await DealwireProcess.StartAsync(options);

        var token = Server.AdminToken;
        ServerApi = await RecordedStream.ConnectAsync(Server.ServerApiPort);
        _connections.Add(ServerApi);
        var login = (await ServerApi.CallAsync("AddUser", new
        {
            group = "demo", name = "Metrics", email = "metrics@example.com", password = "secret1", leverage = 100, enable = 1,
        }, token)).GetProperty("login").GetInt64();
        await ServerApi.CallAsync("BalanceInSync", new { login, amount = 1000m }, token);
        // 100 000 lots on 1 000 USD: the engine refuses it (not enough money), which counts under its return code.
        await ServerApi.Client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["command"] = "MngOpenTradeSync", ["extID"] = "too-big", ["__token"] = token,
            ["data"] = new { login, cmd = 0, volume = 10_000_000, symbol = "EURUSD", sl = 0, tp = 0 },
        }));
        var refused = await ServerApi.ExpectAsync(m => m.TryGetProperty("extID", out var x) && x.GetString() == "too-big", "the refused trade");
        Assert.NotEqual(200, refused.GetProperty("status").GetInt32());
        // Not JSON: a client fault, answered, and the connection stays.
        await ServerApi.Client.SendAsync("this is not json");

        var manager = await RecordedStream.ConnectAsync(Server.ManagerApiPort);
        _connections.Add(manager);
        await manager.ManagerCallAsync("auth_request", $"{{\"secret_key\":\"{_managerKey}\"}}");
        await manager.ManagerCallAsync("get_last_prices");

        await StartSlowQuoteReaderAsync(token);
        await CloseSlowManagerReaderAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Scrapes <c>/metrics</c> until <paramref name="until"/> holds (the figures move on their own) or 30 s pass.</summary>
    public async Task<PrometheusText> ScrapeAsync(Func<PrometheusText, bool>? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await Server.GetAsync("metrics");
            response.EnsureSuccessStatusCode();
            var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            if (until is null || until(metrics) || DateTime.UtcNow > deadline) return metrics;
            await Task.Delay(200);
        }
    }

    /// <summary>Subscribes to every symbol on a socket with a tiny receive window and never reads it: quotes conflate.</summary>
    private async Task StartSlowQuoteReaderAsync(string token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync("127.0.0.1", Server.ServerApiPort);
        _connections.Add(new SocketCloser(socket));
        var subscribe = $"{{\"command\":\"Subscribe\",\"data\":{{\"chanels\":[\"EURUSD\",\"GBPUSD\",\"USDJPY\",\"XAUUSD\",\"US500\",\"BTCUSD\"]}},\"extID\":\"q\",\"__token\":\"{token}\"}}\r\n";
        await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe));
    }

    /// <summary>A Manager API reader that asks for ~19 MiB of replies and reads none: closed at 64 KiB pending.</summary>
    private async Task CloseSlowManagerReaderAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync("127.0.0.1", Server.ManagerApiPort);
        var requests = new StringBuilder($"{{\"message_id\":\"auth\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"auth_request\":{{\"secret_key\":\"{_managerKey}\"}}}}}}}}\r\n");
        for (var i = 0; i < 9_000; i++)
        {
            requests.Append("{\"message_id\":\"lp").Append(i).Append("\",\"message_type\":{\"client_message\":{\"get_last_prices\":{}}}}\r\n");
        }
        var bytes = Encoding.UTF8.GetBytes(requests.ToString());
        try
        {
            for (var round = 0; round < 3; round++) await socket.SendAsync(bytes);
        }
        catch (SocketException)
        {
            // Closed while still writing: the outcome wanted.
        }
        await Server.WaitForOutputAsync("(MaxPendingReplyBytes): reader too slow", TimeSpan.FromSeconds(30));
    }

    private sealed class SocketCloser(Socket socket) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
