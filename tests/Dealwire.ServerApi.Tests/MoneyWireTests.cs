using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// Issue 12's money items reachable from the Server API (3, 4, 5, 6, 9) and partial updates as engine
/// patches (wire item). Figures are computed by hand in the comments. Own host: these tests move prices.
/// </summary>
public sealed class MoneyWireTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    /// <summary>A group "money" with 11.02 per lot charged at close and 2.00 per lot paid to an agent.</summary>
    private async Task<(long Client, long Agent)> AccountsAsync()
    {
        await Host.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "money", DefaultLeverage = 100,
            Securities =
            [
                new GroupSecurity { SecurityIndex = 0, Commission = 11.02m, CommissionCharge = CommissionCharge.OnClose, AgentCommission = 2m },
                new GroupSecurity { SecurityIndex = 1 },
            ],
        }));
        var agent = (await Host.Ok(new CreateAccount(new AccountProfile { Group = "demo", Name = "Agent" }) { InitialDeposit = 0m })).Profile.Login;
        var client = (await Host.Ok(new CreateAccount(new AccountProfile { Group = "money", Name = "Client", AgentAccount = agent }) { InitialDeposit = 0m })).Profile.Login;
        return (client, agent);
    }

    private async Task<decimal> BalanceAsync(long login) => (await Host.Runner.QueryAsync(r => r.GetMargin(login)))!.Balance;

    private static async Task<long> OpenAsync(LineClient c, string token, long login, int cmd, int volume)
    {
        var reply = await c.CallAsync("MngOpenTradeSync", new { login, cmd, volume, symbol = "EURUSD", sl = 0, tp = 0 }, token);
        reply.AssertOk();
        return reply.Data().GetProperty("order").GetInt64();
    }

    private static async Task<List<Dictionary<string, JsonElement>>> TradesAsync(LineClient c, string token, int tradeType, long login)
    {
        var reply = await c.CallAsync("MngGetTradesByFilter", new
        {
            groupFilter = "*", limit = 1000, offset = 0, tradeType,
            where = new object[] { new object[] { "login", "=", login } },
        }, token);
        reply.AssertOk();
        var data = reply.Data();
        var columns = data.GetProperty("structure").EnumerateArray().Select(s => s.GetString()!).ToList();
        return data.GetProperty("rows").EnumerateArray()
            .Select(row => columns.Select((name, i) => (name, row[i])).ToDictionary(x => x.name, x => x.Item2)).ToList();
    }

    [Fact]
    public async Task Commission_edits_and_deletes_move_the_balance_and_the_history_explains_every_balance()
    {
        await using var c = await Host.ConnectAsync();
        var token = Host.AdminToken;
        var (client, agent) = await AccountsAsync();
        (await c.CallAsync("BalanceInSync", new { login = client, amount = 100_000m, comment = "deposit" }, token)).AssertOk();
        await Host.TickAsync("EURUSD", 1.10008m, 1.10010m);

        // Item 3: an open position's commission 0 → −10.00 is a ledger entry: 100 000.00 → 99 990.00.
        var first = await OpenAsync(c, token, client, 0, 100);                      // buy 1.00 @ 1.10010; agent +2.00
        (await c.CallAsync("MngUpdateOpenTradeSync", new { order = first, login = client, cmd = 0, symbol = "EURUSD", volume = 100, commission = -10m }, token)).AssertOk();
        Assert.Equal(99_990.00m, await BalanceAsync(client));

        // Item 4: a deal +190.00 with −11.02 closing commission, then deleted, leaves the balance as before it.
        var second = await OpenAsync(c, token, client, 0, 100);                     // buy 1.00 @ 1.10010; agent +2.00
        await Host.TickAsync("EURUSD", 1.10200m, 1.10202m);
        (await c.CallAsync("MngCloseTradeSync", new { login = client, order = second }, token)).AssertOk();
        // (1.10200 − 1.10010) × 100 000 = 190.00; − 11.02 → 99 990.00 + 178.98 = 100 168.98.
        Assert.Equal(100_168.98m, await BalanceAsync(client));
        (await c.CallAsync("MngDeleteTrade", new { order = second }, token)).AssertOk();
        Assert.Equal(99_990.00m, await BalanceAsync(client));                        // was 99 978.98 with the commission left

        // The first deal closes too: +190.00, commission −10.00 (edited) − 11.02 (close) on the record.
        (await c.CallAsync("MngCloseTradeSync", new { login = client, order = first }, token)).AssertOk();
        // 99 990.00 + 190.00 − 11.02 = 100 168.98.
        Assert.Equal(100_168.98m, await BalanceAsync(client));

        // Item 5: finance records + closed deals (profit + storage + commission) = balance, for both accounts.
        foreach (var login in new[] { client, agent })
        {
            var finance = (await TradesAsync(c, token, 4, login)).Sum(r => r["profit"].GetDecimal());
            var closed = (await TradesAsync(c, token, 2, login))
                .Sum(r => r["profit"].GetDecimal() + r["storage"].GetDecimal() + r["commission"].GetDecimal());
            Assert.Equal(await BalanceAsync(login), finance + closed);
        }
        // The agent was paid 2 × 2.00 = 4.00, in two finance records of its own.
        Assert.Equal(4.00m, await BalanceAsync(agent));
        Assert.Equal(2, (await TradesAsync(c, token, 4, agent)).Count);
    }

    [Fact]
    public async Task Bid_markup_is_added_to_the_bid_the_client_sees_and_deals_at()
    {
        await using var c = await Host.ConnectAsync();
        var token = Host.AdminToken;
        (await c.CallAsync("AddGroup", new
        {
            group = "marked", company = "Dealwire", currency = "USD", enable = 1, margin_call = 100, margin_mode = 0, margin_type = 0,
            margin_stopout = 50, default_leverage = 100, default_deposit = 0,
            secgroups = new[] { new { sec_index = 0, spread_diff = 4 } },
            secmargins = new[] { new { symbol = "EURUSD", bid_markup = 5 } },
        }, token)).AssertOk();
        var login = (await Host.Ok(new CreateAccount(new AccountProfile { Group = "marked" }) { InitialDeposit = 10_000m })).Profile.Login;
        await Host.TickAsync("EURUSD", 1.10000m, 1.10002m);
        // Spread difference 4 → bid − 2 points; bid_markup 5 → + 5 points: 1.10000 + 0.00003 = 1.10003.
        var user = Host.Issue(SessionType.User, login, "marked");
        var seen = (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, user)).Data();
        Assert.Equal(1.10003m, seen.GetProperty("bid").GetDecimal());
        var sell = await c.CallAsync("MngOpenTradeSync", new { login, cmd = 1, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, token);
        sell.AssertOk();
        Assert.Equal(1.10003m, sell.Data().GetProperty("open_price").GetDecimal());
    }

    [Fact]
    public async Task UpdateGroup_applies_so_compensation_and_currency_digits_or_refuses_them()
    {
        await using var c = await Host.ConnectAsync();
        var token = Host.AdminToken;
        var group = new Dictionary<string, object>
        {
            ["group"] = "settings", ["company"] = "Dealwire", ["currency"] = "USD", ["enable"] = 1, ["margin_call"] = 100, ["margin_mode"] = 0,
            ["margin_type"] = 0, ["margin_stopout"] = 50, ["default_leverage"] = 100, ["default_deposit"] = 0,
            ["secgroups"] = Array.Empty<object>(), ["secmargins"] = Array.Empty<object>(),
        };
        (await c.CallAsync("AddGroup", group, token)).AssertOk();
        (await c.CallAsync("UpdateGroup", new Dictionary<string, object>(group) { ["so_compensation"] = 1, ["currency_digits"] = 3 }, token)).AssertOk();
        var stored = (await Host.Runner.QueryAsync(r => r.GetGroup("settings")))!;
        Assert.Equal((NegativeBalancePolicy.CompensateToZero, 3), (stored.NegativeBalancePolicy, stored.CurrencyDigits));
        (await c.CallAsync("UpdateGroup", new Dictionary<string, object>(group) { ["so_compensation"] = 7 }, token)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("UpdateGroup", new Dictionary<string, object>(group) { ["currency_digits"] = 12 }, token)).AssertError(400, "INVALID_DATA");
        // With accounts in it, digits cannot change (balances booked at 3 digits would not be whole units of 2):
        // the engine refuses it, with its own code for a refusal that depends on state.
        await Host.Ok(new CreateAccount(new AccountProfile { Group = "settings" }) { InitialDeposit = 1.005m });
        (await c.CallAsync("UpdateGroup", new Dictionary<string, object>(group) { ["currency_digits"] = 2 }, token)).AssertError(400, "RET_INVALID_DATA");
    }

    [Fact]
    public async Task UpdateUser_applies_every_profile_field_it_shows()
    {
        await using var c = await Host.ConnectAsync();
        var login = (await Host.Ok(new CreateAccount(new AccountProfile { Group = "demo", Name = "Otp" }) { InitialDeposit = 0m })).Profile.Login;
        (await c.CallAsync("UpdateUser", new { login, group = "demo", name = "Otp", email = "o@x", leverage = 100, enable = 1, enable_otp = 1, status = "kyc-ok", api_data = "{\"crm\":7}" }, Host.AdminToken)).AssertOk();
        var profile = (await Host.Runner.QueryAsync(r => r.GetAccount(login)))!.Profile;
        Assert.Equal((true, "kyc-ok", "{\"crm\":7}"), (profile.OtpEnabled, profile.Status, profile.ApiData));
    }

    [Fact]
    public async Task Concurrent_partial_updates_of_different_fields_both_survive()
    {
        await using var a = await Host.ConnectAsync();
        await using var b = await Host.ConnectAsync();
        var token = Host.AdminToken;
        // Many rounds of two updates in flight at once, each touching one field only. With the merge in
        // the gateway both read the same record and the second write put the first field back.
        for (var round = 1; round <= 20; round++)
        {
            var spread = 10 + round;
            var stops = 100 + round;
            var first = a.CallAsync("UpdateSymbol", new { symbol = "GBPUSD", spread }, token);
            var second = b.CallAsync("UpdateSymbol", new { symbol = "GBPUSD", stops_level = stops }, token);
            (await first).AssertOk();
            (await second).AssertOk();
            var symbol = (await Host.Runner.QueryAsync(r => r.GetSymbol("GBPUSD")))!;
            Assert.Equal((spread, stops), (symbol.Spread, symbol.StopsLevel));

            var comment = $"c{round}";
            var city = $"city{round}";
            var login = Host.DemoLogin;
            var u1 = a.CallAsync("UpdateUser", new { login, group = "demo", name = "Demo", email = "d@x", leverage = 100, enable = 1, comment }, token);
            var u2 = b.CallAsync("UpdateUser", new { login, group = "demo", name = "Demo", email = "d@x", leverage = 100, enable = 1, city }, token);
            (await u1).AssertOk();
            (await u2).AssertOk();
            var profile = (await Host.Runner.QueryAsync(r => r.GetAccount(login)))!.Profile;
            Assert.Equal((comment, city), (profile.Comment, profile.City));
        }
    }
}
