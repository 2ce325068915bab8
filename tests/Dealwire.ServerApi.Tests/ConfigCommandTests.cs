using Dealwire.Security;

namespace Dealwire.ServerApi.Tests;

/// <summary>Symbols, symbol groups, groups, notifications and managers.</summary>
public sealed class ConfigCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task GetSymbols_is_a_structure_rows_count_table_with_live_quotes_at_group_prices()
    {
        await using var c = await Host.ConnectAsync();
        var raw = (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.AdminToken)).Data();
        var vip = (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.VipUserToken)).Data();
        Assert.Equal(raw.GetProperty("bid").GetDecimal() - 0.00001m, vip.GetProperty("bid").GetDecimal());
        Assert.True(raw.TryGetProperty("max_volume", out _));
        Assert.True(raw.TryGetProperty("tick_time", out _));

        var table = (await c.CallAsync("GetSymbols", null, Host.DemoUserToken)).Data();
        Assert.True(table.TryGetProperty("structure", out var structure));
        Assert.False(table.TryGetProperty("structures", out _));
        Assert.Equal("sessions", structure[structure.GetArrayLength() - 1].GetString());
        Assert.Equal(table.GetProperty("rows").GetArrayLength(), table.GetProperty("count").GetInt32());
        Assert.Equal(7, table.GetProperty("rows")[0][structure.GetArrayLength() - 1].GetArrayLength());
        (await c.CallAsync("GetSymbol", new { symbol = "NOPE" }, Host.AdminToken)).AssertError(404, "RET_SYMBOL_NOT_FOUND");
    }

    [Fact]
    public async Task Symbols_add_update_delete()
    {
        await using var c = await Host.ConnectAsync();
        var sessions = Enumerable.Range(0, 7).Select(_ => new
        {
            trade_overnight = 1,
            trade = new[] { new { open_hour = 0, open_min = 0, close_hour = 23, close_min = 59 } },
        }).ToArray();
        (await c.CallAsync("AddSymbol", new { symbol = "NZDUSD", description = "Kiwi", currency = "NZD", sec_index = 0, digits = 5, trade = 2, sessions }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("AddSymbol", new { symbol = "NZDUSD", digits = 5 }, Host.AdminToken)).AssertError(409, "RET_ERR_DUPLICATE");
        (await c.CallAsync("UpdateSymbol", new { symbol = "NZDUSD", spread = 12 }, Host.AdminToken)).AssertOk();
        var s = (await c.CallAsync("GetSymbol", new { symbol = "NZDUSD" }, Host.AdminToken)).Data();
        Assert.Equal(12, s.GetProperty("spread").GetInt32());
        Assert.Equal("Kiwi", s.GetProperty("description").GetString());
        Assert.Equal(23, s.GetProperty("sessions")[1].GetProperty("trade")[0].GetProperty("close_hour").GetInt32());
        (await c.CallAsync("UpdateSymbol", new { symbol = "NOPE", spread = 1 }, Host.AdminToken)).AssertError(404, "RET_SYMBOL_NOT_FOUND");
        (await c.CallAsync("AddSymbol", new { symbol = "BAD", digits = 99 }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("AddSymbol", new { symbol = "X1" }, Host.DemoUserToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("DeleteSymbol", new { symbol = "NZDUSD" }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("GetSymbol", new { symbol = "NZDUSD" }, Host.AdminToken)).AssertError(404, "RET_SYMBOL_NOT_FOUND");
    }

    [Fact]
    public async Task Symbol_groups_answer_sec_index_at_top_level()
    {
        await using var c = await Host.ConnectAsync();
        var add = await c.CallAsync("AddSymbolGroup", new { trade = 1, show = 1, name = "Energy", description = "Oil and gas" }, Host.AdminToken);
        add.AssertOk();
        Assert.Equal("OK", add.Data().GetString());
        var index = add.GetProperty("sec_index").GetInt32();
        (await c.CallAsync("UpdateSymbolGroup", new { sec_index = index, trade = 0, show = 1, parent_sec_index = -1, name = "Energy", description = "Oil" }, Host.AdminToken)).AssertOk();
        var groups = (await c.CallAsync("GetSymbolGroups", null, Host.DemoUserToken)).Data();
        var energy = groups.GetProperty("rows").EnumerateArray().Single(g => g.GetProperty("sec_index").GetInt32() == index);
        Assert.Equal(0, energy.GetProperty("trade").GetInt32());
        Assert.Equal(groups.GetProperty("rows").GetArrayLength(), groups.GetProperty("total").GetInt32());
        (await c.CallAsync("AddSymbolGroup", new { trade = 1, show = 1, name = "", description = "" }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("UpdateSymbolGroup", new { sec_index = 999, trade = 0, show = 1, parent_sec_index = -1, name = "x", description = "" }, Host.AdminToken)).AssertError(404, "RET_SEC_NOT_FOUND");
        (await c.CallAsync("DeleteSymbolGroup", new { sec_index = index }, Host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Groups_are_filtered_by_mask_and_delete_in_use_is_delete_group_error()
    {
        await using var c = await Host.ConnectAsync();
        var mine = (await c.CallAsync("GetGroups", null, Host.DemoManagerToken)).Data();
        Assert.All(mine.GetProperty("rows").EnumerateArray(), g => Assert.StartsWith("demo", g.GetProperty("group").GetString()));
        var all = (await c.CallAsync("GetGroups", null, Host.AdminToken)).Data();
        Assert.Contains(all.GetProperty("rows").EnumerateArray(), g => g.GetProperty("group").GetString() == "vip");
        var vip = all.GetProperty("rows").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "vip");
        Assert.Equal("EURUSD", vip.GetProperty("secmargins")[0].GetProperty("symbol").GetString());

        var group = new
        {
            group = "demo-new", company = "Dealwire", currency = "USD", enable = 1, margin_call = 100, margin_mode = 1, margin_type = 0,
            margin_stopout = 50, default_leverage = 300, default_deposit = 1000, secgroups = new[] { new { sec_index = 0, lot_min = 1, lot_max = 5000 } },
            secmargins = new[] { new { symbol = "EURUSD", spread_enable = 1, spread = 20 } },
        };
        (await c.CallAsync("AddGroup", group, Host.DemoManagerToken)).AssertOk();
        (await c.CallAsync("AddGroup", group, Host.DemoManagerToken)).AssertError(409, "RET_ERR_DUPLICATE");
        (await c.CallAsync("AddGroup", group with { group = "other" }, Host.DemoManagerToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("UpdateGroup", group with { default_leverage = 400 }, Host.DemoManagerToken)).AssertOk();
        var updated = (await c.CallAsync("GetGroups", null, Host.AdminToken)).Data().GetProperty("rows").EnumerateArray()
            .Single(g => g.GetProperty("group").GetString() == "demo-new");
        Assert.Equal(400, updated.GetProperty("default_leverage").GetInt32());
        Assert.Equal(5000, updated.GetProperty("secgroups")[0].GetProperty("lot_max").GetInt32());
        (await c.CallAsync("AddGroup", new { group = "demo-x" }, Host.AdminToken)).AssertError(400, "INVALID_DATA");

        var del = await c.CallAsync("DeleteGroup", new { group = "demo" }, Host.AdminToken);
        Assert.Equal("DELETE_GROUP_ERROR", del.Error());
        Assert.Equal("Group is still in use", del.GetProperty("message").GetString());
        (await c.CallAsync("DeleteGroup", new { group = "demo-new" }, Host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Notify_validation_and_managers_list()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("MngAddNotify", new { user_id = Host.DemoLogin, token = "t1", message = "m", type = 0, level = 11, status = 0 }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("MngAddNotify", new { user_id = Host.DemoLogin, message = "m", type = 0, level = 10, status = 0 }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("MngAddNotify", new { user_id = 0, token = "b", message = "m", type = 0, level = 10, status = 0 }, Host.DemoManagerToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var managers = await c.CallAsync("GetManagers", null, Host.AdminToken);
        managers.AssertOk();
        Assert.Equal(0, managers.Data().GetProperty("count").GetInt32());
        (await c.CallAsync("GetManagers", null, Host.Issue(SessionType.Dealer, 3))).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
    }

    [Fact]
    public async Task GetSymbolsSummary_sums_client_exposure()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("MngOpenTradeSync", new { login = Host.DemoLogin, cmd = 0, volume = 10, symbol = "GBPUSD", sl = 0, tp = 0 }, Host.AdminToken)).AssertOk();
        var summary = (await c.CallAsync("GetSymbolsSummary", new { groupFilter = "demo" }, Host.AdminToken)).Data();
        var columns = summary.GetProperty("structure").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["symbol", "type", "orders", "buylots", "selllots", "buyprice", "sellprice", "profit", "covorders", "covbuylots", "covselllots", "covbuyprice", "covsellprice", "covprofit"], columns);
        var gold = summary.GetProperty("rows").EnumerateArray().Single(r => r[0].GetString() == "GBPUSD");
        Assert.True(gold[3].GetDecimal() >= 0.1m);
        Assert.True(gold[2].GetInt64() >= 1);
    }
}
