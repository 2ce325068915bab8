using System.Globalization;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests;

/// <summary>
/// A replica-set follower's engine refuses every command (RET_NOT_LEADER, docs/replication.md). The Manager API's
/// closed error list has no such code: trading and balance requests answer <c>network_error</c> (the seed layout's
/// balance errors: <c>undefinded</c>), nothing changes, reads still answer, and the session stays usable.
/// </summary>
public sealed class NotLeaderTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private ManagerClient _client = null!;
    private long _login;

    private sealed class Follower : ICommandGate
    {
        public string? Refusal => "leader is b at 127.0.0.1:7322";
    }

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync();
        _login = await _server.AccountAsync("demo", 1_000m);
        _client = await _server.ConnectAsync();
        await _client.AuthAsync(_server.AdminKey, "num_id_preferred");
        _server.Runner.Gate = new Follower();
    }

    public async Task DisposeAsync()
    {
        _server.Runner.Gate = null;
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private string Ids => string.Create(CultureInfo.InvariantCulture, $"\"trader_id\":{{\"id\":{_login}}},\"account_id\":{{\"id\":{_login}}}");

    [Fact]
    public async Task Orders_and_balance_updates_on_a_follower_answer_network_error_and_change_nothing()
    {
        var order = await _client.CallAsync("place_order", $"{{{Ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"nl-1\"}}");
        Assert.Equal("network_error", order.At("place_order_response.error").GetString());

        var deposit = await _client.CallAsync("update_balance", $"{{{Ids},\"delta\":25,\"process_id\":\"nl-2\",\"reason\":\"deposit\",\"same_response_process_id\":true}}");
        Assert.Equal("network_error", deposit.At("update_balance_response.error").GetString());

        Assert.Equal(1_000m, await _server.Runner.QueryAsync(r => r.GetMargin(_login)!.Balance));
        Assert.Empty(await _server.Runner.QueryAsync(r => r.GetPositions(_login).ToList()));

        // Reads are served from this node's state, and the session is still usable.
        var positions = await _client.CallAsync("get_positions");
        Assert.Empty(positions.At("get_positions_response.success").EnumerateArray());
    }
}
