using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// Both listeners of the real process cap their connections (same option name, MaxConnections): one more
/// connection is answered with the protocol's error and closed, and a slot given back is usable again.
/// </summary>
[Trait("Category", "Slow")] // a server process of its own per test
public sealed class ConnectionCapTests : IAsyncLifetime
{
    private const int Cap = 2;
    private DealwireProcess _server = null!;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__ServerApi__MaxConnections"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ManagerApi__MaxConnections"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server = await DealwireProcess.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_server_api_refuses_one_connection_over_the_cap_with_503_and_serves_again_once_one_leaves()
    {
        var open = new List<LineClient>();
        try
        {
            for (var i = 0; i < Cap; i++)
            {
                var client = await LineClient.ConnectAsync(_server.ServerApiPort);
                open.Add(client);
                Assert.Equal(200, Json(await ServerApiCallAsync(client, $"cap{i}")).GetProperty("status").GetInt32());
            }
            await using (var refused = await LineClient.ConnectAsync(_server.ServerApiPort))
            {
                var error = Json(await refused.ReadLineAsync());
                Assert.Equal(503, error.GetProperty("status").GetInt32());
                Assert.Equal("RET_ERR_CONNECTION", error.GetProperty("error").GetString());
                Assert.True(await refused.IsClosedByServerAsync());
            }

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            // The slot comes back when the server has finished with the closed connection: retry until served.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                await using var again = await LineClient.ConnectAsync(_server.ServerApiPort);
                var first = Json(await ServerApiCallAsync(again, "again"));
                if (first.GetProperty("status").GetInt32() == 200) break;
                Assert.Equal("RET_ERR_CONNECTION", first.GetProperty("error").GetString());
                Assert.True(DateTime.UtcNow < deadline, "no slot came back after a connection closed");
                await Task.Delay(100);
            }
        }
        finally
        {
            foreach (var client in open) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_manager_api_refuses_one_connection_over_the_cap_with_network_error()
    {
        var open = new List<LineClient>();
        try
        {
            for (var i = 0; i < Cap; i++)
            {
                var client = await LineClient.ConnectAsync(_server.ManagerApiPort);
                open.Add(client);
                await client.SendAsync($"{{\"message_id\":\"p{i}\",\"message_type\":\"ping\"}}");
                Assert.Equal("pong", Json(await client.ReadLineAsync()).GetProperty("message_type").GetString());
            }
            await using var refused = await LineClient.ConnectAsync(_server.ManagerApiPort);
            var error = Json(await refused.ReadLineAsync());
            Assert.Equal("network_error", error.GetProperty("message_type").GetProperty("server_message").GetProperty("error").GetString());
            Assert.True(await refused.IsClosedByServerAsync());
        }
        finally
        {
            foreach (var client in open) await client.DisposeAsync();
        }
    }

    private async Task<string> ServerApiCallAsync(LineClient client, string extId)
    {
        await client.SendAsync($"{{\"command\":\"GetSymbol\",\"data\":{{\"symbol\":\"EURUSD\"}},\"extID\":\"{extId}\",\"__token\":\"{_server.AdminToken}\"}}");
        return await client.WaitForAsync(l => l.StartsWith('{'));
    }

    private static JsonElement Json(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}
