using System.Text.Json;

namespace Dealwire.ServerApi.Tests;

/// <summary>Trade mutations (acks and Sync variants) and trade tables against the real engine.</summary>
public sealed class TradeCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    private async Task<long> FundedAccountAsync(Testing.LineClient c, decimal amount = 10_000)
    {
        var reply = await c.CallAsync("MngAddAccount", new { group = "demo", name = "Trader", email = "t@x.io", password = "pass123", leverage = 100, enable = 1 }, Host.AdminToken);
        var login = reply.Data().GetProperty("login").GetInt64();
        (await c.CallAsync("BalanceIn", new { login, amount }, Host.AdminToken)).AssertOk();
        return login;
    }

    [Fact]
    public async Task MngOpenTrade_acknowledges_with_accepted_order_and_request_state()
    {
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c);
        var ack = await c.CallAsync("MngOpenTrade", new { login, cmd = 0, volume = 100, symbol = "EURUSD", sl = 0, tp = 0, comment = "api" }, Host.AdminToken);
        ack.AssertOk();
        var data = ack.Data();
        Assert.True(data.GetProperty("accepted").GetBoolean());
        Assert.True(data.GetProperty("order").GetInt64() > 0);
        Assert.Equal(1, data.GetProperty("state").GetInt32());
        Assert.Equal(login, data.GetProperty("login").GetInt64());
        Assert.Equal("EURUSD", data.GetProperty("symbol").GetString());
        Assert.Equal(0, data.GetProperty("cmd").GetInt32());
        Assert.Equal(100, data.GetProperty("volume").GetInt32());
    }

    [Fact]
    public async Task A_Sync_answer_carries_its_trade_event_data_byte_for_byte()
    {
        // scaletrade-tcp §5.2: the answer's data is the trade:event's data, on the raw wire (apostrophes escaped in both).
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c);
        var (open, openEvents) = await SyncWithEventsAsync(c, "MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0, comment = "dealer's" });
        Assert.Contains("\"comment\":\"dealer\\u0027s\"", open);
        Assert.Contains(open, openEvents);
        var order = Wire.Parse(open).GetProperty("order").GetInt64();
        var (close, closeEvents) = await SyncWithEventsAsync(c, "MngCloseTradeSync", new { login, order });
        Assert.Contains(close, closeEvents);
        Assert.NotEqual(open, close);
    }

    /// <summary>A Sync command's answer data and the data of the trade events of its order, each as raw text.</summary>
    private async Task<(string Answer, List<string> Events)> SyncWithEventsAsync(Testing.LineClient c, string command, object data)
    {
        var id = Wire.NextId();
        await c.SendAsync(Wire.Request(command, data, Host.AdminToken, id));
        var lines = new List<string>();
        var reply = await c.WaitForAsync(l => l.StartsWith($"{{\"extID\":\"{id}\",\"status\":200,\"data\":", StringComparison.Ordinal), skipped: lines);
        var answer = RawData(reply);
        var order = $"{{\"order\":{Wire.Parse(answer).GetProperty("order").GetInt64()},";
        bool Mine(string l) => l.StartsWith("{\"event\":\"trade:event\"", StringComparison.Ordinal) && RawData(l).StartsWith(order, StringComparison.Ordinal);
        var events = lines.Where(Mine).Select(RawData).ToList();
        // The event of this change may follow the answer: wait for it.
        while (!events.Contains(answer)) events.Add(RawData(await c.WaitForAsync(Mine)));
        return (answer, events);
    }

    private static string RawData(string line)
    {
        var at = line.IndexOf("\"data\":", StringComparison.Ordinal) + "\"data\":".Length;
        Assert.EndsWith("}", line);
        return line[at..^1];
    }

    [Fact]
    public async Task Sync_open_close_answer_with_the_trade_record()
    {
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c);
        var open = await c.CallAsync("MngOpenTradeSync", new { login, cmd = 1, volume = 50, symbol = "EURUSD", sl = 0, tp = 0 }, Host.AdminToken);
        open.AssertOk();
        var trade = open.Data();
        var order = trade.GetProperty("order").GetInt64();
        Assert.Equal(0, trade.GetProperty("state").GetInt32());
        Assert.Equal(1, trade.GetProperty("cmd").GetInt32());
        Assert.Equal(50, trade.GetProperty("volume").GetInt32());
        Assert.True(trade.GetProperty("open_price").GetDecimal() > 0);

        var update = await c.CallAsync("MngUpdateTradeSync", new { order, login, cmd = 1, tp = 1.0m, comment = "edited" }, Host.AdminToken);
        update.AssertOk();
        Assert.Equal(1.0m, update.Data().GetProperty("tp").GetDecimal());

        var partial = await c.CallAsync("MngCloseTrade", new { login, order, volume = 20 }, Host.AdminToken);
        partial.AssertOk();
        Assert.Equal(19, partial.Data().GetProperty("state").GetInt32());

        var close = await c.CallAsync("MngCloseTradeSync", new { login, order }, Host.AdminToken);
        close.AssertOk();
        Assert.Equal(3, close.Data().GetProperty("state").GetInt32());
        Assert.True(close.Data().GetProperty("close_time").GetInt64() > 0);

        (await c.CallAsync("MngCloseTrade", new { login, order }, Host.AdminToken)).AssertError(400, "RET_TRADE_INCORRECT_STATE");
        var history = await c.CallAsync("GetTradesHistoryByLogin", new { login, from = 0, to = 4_000_000_000L }, Host.AdminToken);
        Assert.True(history.Data().GetProperty("count").GetInt32() >= 1);
    }

    [Fact]
    public async Task Pending_orders_place_update_and_cancel()
    {
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c);
        var ack = await c.CallAsync("MngOpenPendingTrade", new { login, cmd = 2, volume = 10, symbol = "EURUSD", open_price = 1.05m, sl = 0, tp = 0 }, Host.AdminToken);
        ack.AssertOk();
        Assert.Equal(1, ack.Data().GetProperty("state").GetInt32());
        var order = ack.Data().GetProperty("order").GetInt64();

        var updated = await c.CallAsync("MngUpdatePendingTradeSync", new { order, open_price = 1.04m }, Host.AdminToken);
        updated.AssertOk();
        Assert.Equal(1.04m, updated.Data().GetProperty("open_price").GetDecimal());
        (await c.CallAsync("MngUpdatePendingTradeSync", new { order }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("MngUpdateTradeSync", new { order, login, cmd = 2, tp = 1.2m }, Host.AdminToken)).AssertError(400, "RET_TRADE_INCORRECT_STATE");

        var cancel = await c.CallAsync("MngCancelPendingTrade", new { order }, Host.AdminToken);
        cancel.AssertOk();
        Assert.Equal(9, cancel.Data().GetProperty("state").GetInt32());
        (await c.CallAsync("MngCancelTrade", new { order }, Host.AdminToken)).AssertError(400, "RET_TRADE_INCORRECT_STATE");
        (await c.CallAsync("MngCancelTrade", new { order = 987_654_321 }, Host.AdminToken)).AssertError(404, "RET_ERR_NOTFOUND");
    }

    [Fact]
    public async Task Delete_and_restore_a_closed_trade()
    {
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c);
        var order = (await c.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "GBPUSD", sl = 0, tp = 0 }, Host.AdminToken)).Data().GetProperty("order").GetInt64();
        (await c.CallAsync("MngDeleteTrade", new { order }, Host.AdminToken)).AssertError(400, "RET_TRADE_INCORRECT_STATE");
        (await c.CallAsync("MngCloseTradeSync", new { login, order }, Host.AdminToken)).AssertOk();
        var restored = await c.CallAsync("MngRestoreTrade", new { order }, Host.AdminToken);
        restored.AssertOk();
        Assert.Equal(13, restored.Data().GetProperty("state").GetInt32());
        (await c.CallAsync("MngCloseTradeSync", new { login, order }, Host.AdminToken)).AssertOk();
        var deleted = await c.CallAsync("MngDeleteTrade", new { order }, Host.AdminToken);
        deleted.AssertOk();
        Assert.Equal(8, deleted.Data().GetProperty("state").GetInt32());
    }

    [Theory]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":100000,"symbol":"EURUSD","sl":0,"tp":0}""", 400, "RET_TRADE_BAD_VOLUME")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":-5,"symbol":"EURUSD","sl":0,"tp":0}""", 400, "RET_TRADE_BAD_VOLUME")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":0,"symbol":"EURUSD","sl":0,"tp":0}""", 400, "RET_TRADE_BAD_VOLUME")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":99999999999,"symbol":"EURUSD","sl":0,"tp":0}""", 400, "INVALID_DATA")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":10,"symbol":"NOPE","sl":0,"tp":0}""", 404, "RET_SYMBOL_NOT_FOUND")]
    [InlineData("""{"login":99999999,"cmd":0,"volume":10,"symbol":"EURUSD","sl":0,"tp":0}""", 404, "RET_USER_NOT_FOUND")]
    [InlineData("""{"login":LOGIN,"cmd":4,"volume":10,"symbol":"EURUSD","sl":0,"tp":0}""", 400, "INVALID_DATA")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":10,"symbol":"EURUSD","tp":0}""", 400, "INVALID_DATA")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":"10","symbol":"EURUSD","sl":0,"tp":0}""", 400, "INVALID_DATA")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":10,"symbol":"EURUSD","sl":1e400,"tp":0}""", 400, "INVALID_DATA")]
    [InlineData("""{"login":LOGIN,"cmd":0,"volume":5000,"symbol":"EURUSD","sl":0,"tp":0}""", 409, "RET_TRADE_NO_MONEY")]
    public async Task Bad_open_requests_are_rejected_with_clear_errors(string data, int status, string error)
    {
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c, 100);
        await c.SendAsync($$"""{"command":"MngOpenTrade","data":{{data.Replace("LOGIN", login.ToString(System.Globalization.CultureInfo.InvariantCulture))}},"extID":"bad","__token":"{{Host.AdminToken}}"}""");
        var reply = Wire.Parse(await c.WaitForAsync(l => l.Contains("\"bad\"")));
        reply.AssertError(status, error);
    }

    [Fact]
    public async Task Trade_tables_by_filter_group_and_scope()
    {
        await using var c = await Host.ConnectAsync();
        var login = await FundedAccountAsync(c);
        (await c.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 30, symbol = "EURUSD", sl = 0, tp = 0 }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("MngOpenTradeSync", new { login, cmd = 1, volume = 70, symbol = "GBPUSD", sl = 0, tp = 0 }, Host.AdminToken)).AssertOk();

        var filtered = await c.CallAsync("MngGetTradesByFilter", new
        {
            groupFilter = "demo", limit = 1, offset = 0, tradeType = 1,
            where = new object[] { new object[] { "login", "=", login } },
            orderBy = new object[] { new object[] { "volume", "desc" } },
        }, Host.AdminToken);
        filtered.AssertOk();
        var data = filtered.Data();
        Assert.Equal(2, data.GetProperty("count").GetInt32());
        Assert.Equal(100m, data.GetProperty("total_volume").GetDecimal());
        var columns = data.GetProperty("structure").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(columns.IndexOf("profit") + 1, columns.IndexOf("net_profit"));
        Assert.Equal(70, data.GetProperty("rows")[0][columns.IndexOf("volume")].GetInt32());
        Assert.Equal("demo", data.GetProperty("rows")[0][columns.IndexOf("group")].GetString());
        foreach (var total in new[] { "total_profit", "total_net_profit", "total_storage", "total_commission" })
        {
            Assert.True(data.TryGetProperty(total, out _), total);
        }

        var byGroup = await c.CallAsync("GetTradesByGroup", new { group_mask = "demo", open_only = 1 }, Host.AdminToken);
        Assert.Equal(19, byGroup.Data().GetProperty("structure").GetArrayLength());
        var vipManager = Host.Issue(Security.SessionType.Manager, 11, "vip", Security.Rights.ManagerDefault);
        var hidden = await c.CallAsync("GetTradesByGroup", new { group_mask = "*", open_only = 1 }, vipManager);
        Assert.DoesNotContain(hidden.Data().GetProperty("rows").EnumerateArray(), r => r[1].GetInt64() == login);
        (await c.CallAsync("MngGetTradesByFilter", new { groupFilter = "*", limit = 10, offset = 0, tradeType = 9 }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
    }
}
