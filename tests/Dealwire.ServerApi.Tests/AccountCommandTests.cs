namespace Dealwire.ServerApi.Tests;

/// <summary>Account commands: create / update / delete, lookups, tables and the filter grammar.</summary>
public sealed class AccountCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    private async Task<long> CreateAsync(Testing.LineClient c, string group = "demo", string name = "Acc")
    {
        var reply = await c.CallAsync("MngAddAccount", new { group, name, email = $"{name}@x.io", password = "pass123", leverage = 100, enable = 1 }, Host.AdminToken);
        reply.AssertOk();
        return reply.Data().GetProperty("login").GetInt64();
    }

    [Fact]
    public async Task AddUser_as_in_the_seed_creates_an_account_and_answers_login_leverage_currency()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync($$"""{"command":"AddUser","data":{"group":"demo","name":"John Doe","email":"[email protected]","password":"pass123","leverage":100,"enable":1},"extID":"adduser1","__token":"{{Host.AdminToken}}"}""");
        var reply = Wire.Parse(await c.WaitForAsync(l => l.Contains("\"adduser1\"")));
        reply.AssertOk();
        var data = reply.Data();
        Assert.True(data.GetProperty("login").GetInt64() > 0);
        Assert.Equal(100, data.GetProperty("leverage").GetInt32());
        Assert.Equal("USD", data.GetProperty("currency").GetString());
        Assert.True(data.TryGetProperty("update_time", out _));
    }

    [Fact]
    public async Task Missing_and_wrong_typed_fields_are_named_in_invalid_data()
    {
        await using var c = await Host.ConnectAsync();
        var missing = await c.CallAsync("MngAddAccount", new { group = "demo", name = "X", email = "x@x", leverage = 100, enable = 1 }, Host.AdminToken);
        missing.AssertError(400, "INVALID_DATA");
        Assert.Equal("password is required", missing.GetProperty("message").GetString());
        var wrongType = await c.CallAsync("MngAddAccount", new { group = "demo", name = "X", email = "x@x", password = "pass123", leverage = "100", enable = 1 }, Host.AdminToken);
        Assert.Equal("leverage must be an integer", wrongType.GetProperty("message").GetString());
        var badFlag = await c.CallAsync("MngAddAccount", new { group = "demo", name = "X", email = "x@x", password = "pass123", leverage = 100, enable = 7 }, Host.AdminToken);
        Assert.Equal("enable must be 0 or 1", badFlag.GetProperty("message").GetString());
        var huge = await c.CallAsync("GetAccountByLogin", new { login = 1e30 }, Host.AdminToken);
        huge.AssertError(400, "INVALID_DATA");
        Assert.Equal("login is out of range", huge.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unknown_group_and_unknown_login_are_clear_errors()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("MngAddAccount", new { group = "nope", name = "X", email = "x@x", password = "pass123", leverage = 100, enable = 1 }, Host.AdminToken))
            .AssertError(404, "RET_GROUP_NOT_FOUND");
        (await c.CallAsync("GetAccountByLogin", new { login = 99_999_999 }, Host.AdminToken)).AssertError(404, "RET_USER_NOT_FOUND");
        (await c.CallAsync("MngDeleteAccount", new { login = 99_999_999 }, Host.AdminToken)).AssertError(404, "RET_USER_NOT_FOUND");
    }

    [Fact]
    public async Task Update_and_get_account_round_trip_and_never_return_the_password()
    {
        await using var c = await Host.ConnectAsync();
        var login = await CreateAsync(c, name: "Upd");
        (await c.CallAsync("MngUpdateAccount", new { login, group = "demo", name = "Updated", email = "u@x.io", leverage = 200, enable = 1, city = "Riga" }, Host.AdminToken)).AssertOk();
        var account = (await c.CallAsync("GetAccountByLogin", new { login }, Host.AdminToken)).Data();
        Assert.Equal("Updated", account.GetProperty("name").GetString());
        Assert.Equal(200, account.GetProperty("leverage").GetInt32());
        Assert.Equal("Riga", account.GetProperty("city").GetString());
        Assert.False(account.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Delete_is_refused_with_open_trades_and_DeleteUsersList_reports_partial_success()
    {
        await using var c = await Host.ConnectAsync();
        var busy = await CreateAsync(c, name: "Busy");
        (await c.CallAsync("BalanceIn", new { login = busy, amount = 1000 }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("MngOpenTrade", new { login = busy, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("MngDeleteAccount", new { login = busy }, Host.AdminToken)).AssertError(409, "RET_USR_HAS_TRADES");

        var idle = await CreateAsync(c, name: "Idle");
        var reply = await c.CallAsync("DeleteUsersList", new { logins = new[] { idle, busy } }, Host.AdminToken);
        Assert.Equal(207, reply.Status());
        Assert.Equal(1, reply.Data().GetProperty("deleted").GetInt32());
        Assert.Equal("RET_USR_HAS_TRADES", reply.Data().GetProperty("failures")[0].GetProperty("error").GetString());

        var none = await c.CallAsync("DeleteUsersList", new { logins = new[] { busy } }, Host.AdminToken);
        Assert.Equal(409, none.Status());
    }

    [Fact]
    public async Task GetAccountsByGroup_is_a_table_with_the_spec_columns()
    {
        await using var c = await Host.ConnectAsync();
        var reply = await c.CallAsync("GetAccountsByGroup", new { group_mask = "vip" }, Host.AdminToken);
        reply.AssertOk();
        var data = reply.Data();
        Assert.Equal("login", data.GetProperty("structure")[0].GetString());
        Assert.Equal(24, data.GetProperty("structure").GetArrayLength());
        Assert.All(data.GetProperty("rows").EnumerateArray(), r => Assert.Equal("vip", r[6].GetString()));
        Assert.Equal(data.GetProperty("rows").GetArrayLength(), data.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task GetUsersByFilter_applies_the_grammar_with_totals_before_paging()
    {
        await using var c = await Host.ConnectAsync();
        var logins = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var login = await CreateAsync(c, group: "vip", name: $"Filt{i}");
            (await c.CallAsync("BalanceIn", new { login, amount = 100 * (i + 1) }, Host.AdminToken)).AssertOk();
            logins.Add(login);
        }
        var reply = await c.CallAsync("GetUsersByFilter", new
        {
            groupFilter = "vip", limit = 1, offset = 1,
            where = new object[] { new object[] { "name", "like", "Filt%" }, new object[] { "balance", ">=", 100 } },
            whereNot = new object[] { new object[] { "login", Host.VipLogin } },
            whereIn = new object[] { new object[] { "login", logins.ToArray() } },
            whereBetween = new object[] { new object[] { "balance", new[] { 100, 300 } } },
            orderBy = new[] { "balance", "DESC" },
        }, Host.AdminToken);
        reply.AssertOk();
        var data = reply.Data();
        Assert.Equal(3, data.GetProperty("count").GetInt32());
        Assert.Equal(600m, data.GetProperty("total_balance").GetDecimal());
        var rows = data.GetProperty("rows");
        Assert.Equal(1, rows.GetArrayLength());
        var balanceColumn = data.GetProperty("structure").EnumerateArray().Select(e => e.GetString()).ToList().IndexOf("balance");
        Assert.Equal(200m, rows[0][balanceColumn].GetDecimal());

        var notIn = await c.CallAsync("GetUsersByFilter", new
        {
            groupFilter = "vip", limit = 10, offset = 0,
            whereNotIn = new object[] { new object[] { "login", logins.ToArray() } },
            whereNotBetween = new object[] { new object[] { "balance", new[] { 0, 1 } } },
            orderBy = new object[] { new[] { "login", "asc" } },
        }, Host.AdminToken);
        Assert.DoesNotContain(notIn.Data().GetProperty("rows").EnumerateArray(), r => logins.Contains(r[0].GetInt64()));
    }

    [Theory]
    [InlineData("""{"groupFilter":"*","limit":10,"offset":0,"where":[["nope","=",1]]}""", "unknown field 'nope'")]
    [InlineData("""{"groupFilter":"*","limit":10,"offset":0,"where":[["login","~",1]]}""", "unknown where operator")]
    [InlineData("""{"groupFilter":"*","limit":0,"offset":0}""", "limit must be between")]
    [InlineData("""{"groupFilter":"*","limit":10,"offset":-1}""", "offset must not be negative")]
    [InlineData("""{"groupFilter":"*","limit":10,"offset":0,"orderBy":["login","UP"]}""", "orderBy direction")]
    [InlineData("""{"limit":10,"offset":0}""", "groupFilter is required")]
    public async Task Bad_filters_are_400_invalid_data(string data, string messagePart)
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync($$"""{"command":"GetUsersByFilter","data":{{data}},"extID":"bf","__token":"{{Host.AdminToken}}"}""");
        var reply = Wire.Parse(await c.ReadLineAsync());
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains(messagePart, reply.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetUserBalanceList_returns_money_rows_for_visible_logins()
    {
        await using var c = await Host.ConnectAsync();
        var reply = await c.CallAsync("GetUserBalanceList", new { logins = new[] { Host.DemoLogin, Host.VipLogin, 424242 } }, Host.DemoManagerToken);
        reply.AssertOk();
        var rows = reply.Data().GetProperty("rows");
        Assert.Equal(1, rows.GetArrayLength());
        Assert.Equal(Host.DemoLogin, rows[0].GetProperty("login").GetInt64());
        foreach (var f in new[] { "balance", "credit", "profit", "commission", "storage", "margin", "margin_free", "margin_level", "equity", "level_type" })
        {
            Assert.True(rows[0].TryGetProperty(f, out _), f);
        }
    }
}
