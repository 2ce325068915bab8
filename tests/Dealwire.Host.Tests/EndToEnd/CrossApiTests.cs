using System.Globalization;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// One account driven through both APIs of the real process at fixed prices (EURUSD 1.10000 / 1.10010,
/// GBPUSD 1.27000 / 1.27015): money and positions booked over one API show up on the other's streams,
/// and both agree on the final balance to the cent.
/// </summary>
[Trait("Category", "Slow")] // a server process of its own per test
public sealed class CrossApiTests : IAsyncLifetime
{
    private DealwireProcess _server = null!;
    private string _managerKey = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                var key = await DealwireCli.RunAsync("key", "issue", "--manager", "backoffice", "--groups", "*", "--data-dir", server.DataDir);
                Assert.True(key.ExitCode == 0, key.ToString());
                _managerKey = key.StandardOutput.Trim();
            },
        }.WithFixedPrices();
        _server = await DealwireProcess.StartAsync(options);
        await _server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Deposits_and_positions_cross_between_the_apis_and_both_streams_agree_on_the_balance()
    {
        var token = _server.AdminToken;
        await using var serverApi = await RecordedStream.ConnectAsync(_server.ServerApiPort);
        var login = (await serverApi.CallAsync("MngAddAccount", new
        {
            group = "demo", name = "Cross API", email = "cross@example.com", password = "secret1", leverage = 100, enable = 1,
        }, token)).GetProperty("login").GetInt64();
        await serverApi.CallAsync("BalanceInSync", new { login, amount = 1000m }, token);
        await serverApi.EventAsync("balance:event", d => Login(d) == login && d.GetProperty("balance").GetDecimal() == 1000m);

        // Seed layout for the account_balance_operation stream, newer layout for trading commands.
        await using var seed = await RecordedStream.ConnectAsync(_server.ManagerApiPort);
        Assert.True(Guid.TryParse((await seed.ManagerCallAsync("auth_request", $"{{\"secret_key\":\"{_managerKey}\"}}")).At("success.auth_result.session_id").GetString(), out _));
        await seed.ManagerCallAsync("subscribe", "{\"topics\":[\"accounts\",\"positions\"]}");
        await using var newer = await RecordedStream.ConnectAsync(_server.ManagerApiPort);
        await newer.ManagerCallAsync("auth_request", $"{{\"secret_key\":\"{_managerKey}\",\"id_representation\":\"num_id_preferred\"}}");
        var ids = $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}";
        var seedLogin = login.ToString(CultureInfo.InvariantCulture);

        // 1. A deposit over the Manager API is a balance:event (and a cmd 6 record) on the Server API.
        var managerDeposit = await newer.ManagerCallAsync("update_balance", $"{{{ids},\"delta\":200.25,\"process_id\":\"cross-dep-1\",\"reason\":\"deposit\",\"comment\":\"from manager\"}}");
        Assert.Equal(1200.25m, managerDeposit.At("update_balance_response.success.account.balance").GetDecimal());
        await serverApi.EventAsync("balance:event", d => Login(d) == login && d.GetProperty("balance").GetDecimal() == 1200.25m);
        await serverApi.EventAsync("trade:event", d => Login(d) == login && d.GetProperty("cmd").GetInt32() == 6 && d.GetProperty("profit").GetDecimal() == 200.25m);
        await BalanceOperationAsync(seed, seedLogin, "deposit", 200.25m, 1200.25m);

        // 2. BalanceIn over the Server API is an account_balance_operation on the Manager API.
        var ack = await serverApi.CallAsync("BalanceIn", new { login, amount = 50.10m, comment = "from server api" }, token);
        Assert.True(ack.GetProperty("accepted").GetBoolean());
        Assert.Equal(10, ack.GetProperty("state").GetInt32());
        var op = await BalanceOperationAsync(seed, seedLogin, "deposit", 50.10m, 1250.35m);
        Assert.Equal(1250.35m, op.At("account.balance").GetDecimal());

        // 3. Opened over the Server API (buy 0.10 EURUSD at 1.10010), closed over the Manager API (at 1.10000): -1.00.
        var opened = await serverApi.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, token);
        var ticket = opened.GetProperty("order").GetInt64();
        await seed.ManagerEventAsync(s => s.Has("success.positions.created") && s.At("success.positions.created.data.0.id").GetString() == ticket.ToString(CultureInfo.InvariantCulture), "positions created");
        var closedByManager = await newer.ManagerCallAsync("close_position", $"{{{ids},\"position_id\":{{\"id\":{ticket}}},\"process_id\":\"cross-close-1\"}}");
        Assert.Equal("executed", closedByManager.At("close_position_response.success.order_status").GetString());
        var closedEvent = await serverApi.EventAsync("trade:event", d => d.GetProperty("order").GetInt64() == ticket && d.GetProperty("close_time").GetInt64() > 0);
        Assert.Equal(-1.00m, closedEvent.GetProperty("profit").GetDecimal());
        Assert.Equal(1.10000m, closedEvent.GetProperty("close_price").GetDecimal());
        await serverApi.EventAsync("balance:event", d => Login(d) == login && d.GetProperty("balance").GetDecimal() == 1249.35m);
        await BalanceOperationAsync(seed, seedLogin, "trading", -1.00m, 1249.35m);

        // 4. Opened over the Manager API (sell 0.20 GBPUSD at 1.27000), closed over the Server API (at 1.27015): -3.00.
        var placed = await newer.ManagerCallAsync("place_order", $"{{{ids},\"asset_pair\":\"GBPUSD\",\"lots_amount\":0.2,\"is_buy\":false,\"order_type\":\"market\",\"process_id\":\"cross-open-2\"}}");
        var position = placed.At("place_order_response.success.position_id.num_id").GetInt64();
        var openEvent = await serverApi.EventAsync("trade:event", d => d.GetProperty("order").GetInt64() == position);
        Assert.Equal(1, openEvent.GetProperty("cmd").GetInt32());
        Assert.Equal(20, openEvent.GetProperty("volume").GetInt32());
        Assert.Equal(1.27000m, openEvent.GetProperty("open_price").GetDecimal());
        var closed = await serverApi.CallAsync("MngCloseTradeSync", new { login, order = position }, token);
        Assert.Equal(-3.00m, closed.GetProperty("profit").GetDecimal());
        await seed.ManagerEventAsync(s => s.Has("success.positions.closed") && s.At("success.positions.closed.data.0.id").GetString() == position.ToString(CultureInfo.InvariantCulture), "positions closed");
        await BalanceOperationAsync(seed, seedLogin, "trading", -3.00m, 1246.35m);
        await serverApi.EventAsync("balance:event", d => Login(d) == login && d.GetProperty("balance").GetDecimal() == 1246.35m);

        // Both streams end on the same balance, and so do both APIs' queries: 1000 + 200.25 + 50.10 - 1.00 - 3.00.
        const decimal expected = 1246.35m;
        var lastServerApi = serverApi.Received.Where(m => IsEvent(m, "balance:event") && Login(m.GetProperty("data")) == login).Last();
        var lastManager = seed.Received.Select(RecordedStream.ServerMessage)
            .Where(s => s.Has("success.account_balance_operation.created")).Last().At("success.account_balance_operation.created.data.0.account.balance");
        Assert.Equal(expected, lastServerApi.GetProperty("data").GetProperty("balance").GetDecimal());
        Assert.Equal(expected, lastManager.GetDecimal());
        Assert.Equal(expected, (await serverApi.CallAsync("GetAccountByLogin", new { login }, token)).GetProperty("balance").GetDecimal());
        Assert.Equal(expected, (await newer.ManagerCallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{login}}}}}")).At("get_accounts_response.success.0.balance").GetDecimal());
        var ledger = (await newer.ManagerCallAsync("get_balance_operations", $"{{\"account_id\":{{\"id\":{login}}}}}")).At("get_balance_operations_response.success");
        Assert.Equal([1000m, 200.25m, 50.10m, -1.00m, -3.00m], ledger.EnumerateArray().Select(o => o.GetProperty("delta").GetDecimal()));
        Assert.Equal(expected, ledger.EnumerateArray().Sum(o => o.GetProperty("delta").GetDecimal()));
    }

    private static long Login(JsonElement data) => data.GetProperty("login").GetInt64();

    private static bool IsEvent(JsonElement m, string name) => m.TryGetProperty("event", out var e) && e.GetString() == name;

    /// <summary>The seed layout's account_balance_operation for this account, reason and amount; checks the balance after it.</summary>
    private static async Task<JsonElement> BalanceOperationAsync(RecordedStream seed, string login, string reason, decimal delta, decimal balanceAfter)
    {
        var message = await seed.ManagerEventAsync(s => s.Has("success.account_balance_operation.created")
            && s.At("success.account_balance_operation.created.data.0.account.id").GetString() == login
            && s.At("success.account_balance_operation.created.data.0.operation.reason").GetString() == reason
            && s.At("success.account_balance_operation.created.data.0.operation.delta").GetDecimal() == delta, $"{reason} {delta} operation");
        var item = message.At("success.account_balance_operation.created.data.0");
        Assert.Equal(balanceAfter, item.At("account.balance").GetDecimal());
        return item;
    }
}
