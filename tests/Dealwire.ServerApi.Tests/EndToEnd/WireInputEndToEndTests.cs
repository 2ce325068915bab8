using System.Text.Json;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Input no client can use to break others, and frames every vendor client can read, against the real process:
/// ids bounded to what every protocol carries, every numeric field range-checked, no raw apostrophe in any
/// frame, Subscribe naming the channels it refused, and secgroups [] meaning "no symbol group".
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class WireInputEndToEndTests(RealServerFixture fixture)
{
    private const long FirstUncarriedId = 9_007_199_254_740_992; // 2^53: a JavaScript client cannot hold it exactly

    private string Admin => fixture.AdminToken;

    private static object Open(string field, object value)
    {
        var data = new Dictionary<string, object> { ["login"] = 1000, ["cmd"] = 0, ["volume"] = 10, ["symbol"] = "EURUSD", ["sl"] = 0, ["tp"] = 0 };
        data[field] = value;
        return data;
    }

    private static object User(string field, object value)
    {
        var data = new Dictionary<string, object> { ["group"] = "TestGroup", ["name"] = "X", ["email"] = "x@y.z", ["password"] = "secret1", ["leverage"] = 100, ["enable"] = 1 };
        data[field] = value;
        return data;
    }

    private static Dictionary<string, object?> Group(string name, object? secgroups) => new()
    {
        ["group"] = name, ["company"] = "Dealwire", ["currency"] = "USD", ["enable"] = 1, ["margin_call"] = 100, ["margin_mode"] = 0,
        ["margin_type"] = 0, ["margin_stopout"] = 50, ["default_leverage"] = 100, ["default_deposit"] = 10_000,
        ["secgroups"] = secgroups, ["secmargins"] = Array.Empty<object>(),
    };

    /// <summary>Each row: a command, its data with one numeric field out of its range, and that field's name in the message.</summary>
    public static TheoryData<string, object, string> OutOfRange => new()
    {
        { "AddUser", User("login", long.MaxValue), "login" },
        { "AddUser", User("login", FirstUncarriedId), "login" },
        { "MngAddAccount", User("leverage", 20_000), "leverage" },
        { "MngAddAccount", User("agent_account", FirstUncarriedId), "agent_account" },
        { "MngOpenTrade", Open("open_time", 9_223_372_036_854_775L), "open_time" },
        { "MngOpenTradeSync", Open("open_time", -1), "open_time" },
        { "MngOpenTrade", Open("volume", 200_000_000), "volume" },
        { "MngOpenTrade", Open("login", FirstUncarriedId), "login" },
        { "MngOpenTrade", Open("sl", 1e16), "sl" },
        { "MngCloseTrade", new { login = 1000, order = 1, close_time = 99_999_999_999_999L }, "close_time" },
        { "MngCloseTradeSync", new { login = 1000, order = -7 }, "order" },
        { "BalanceIn", new { login = 1000, amount = 1e16 }, "amount" },
        { "CreditIn", new { login = FirstUncarriedId, amount = 5, comment = "x" }, "login" },
        { "GetTradesHistoryByLogin", new { login = 1000, from = 0, to = 99_999_999_999_999L }, "to" },
        { "GetAccountByLogin", new { login = -1 }, "login" },
        { "GetUserBalanceList", new { logins = new[] { 1000, FirstUncarriedId } }, "logins[1]" },
        { "UpdateGroup", Group("RangeGroup", new object[] { new { sec_index = 0, lot_max = 1_000_000_000 } }), "lot_max" },
        { "UpdateGroup", Group("RangeGroup", new object[] { new { sec_index = -3 } }), "sec_index" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task Every_numeric_field_out_of_its_range_answers_400_INVALID_DATA_naming_it(string command, object data, string field)
    {
        await using var c = await fixture.ConnectAsync();
        var reply = await c.CallAsync(command, data, Admin);
        reply.AssertError(400, "INVALID_DATA");
        Assert.Equal($"{field} is out of range", reply.GetProperty("message").GetString());
        // The connection and the server carry on.
        (await c.CallAsync("GetAccountByLogin", new { login = RealServerFixture.HedgingLogin }, Admin)).AssertOk();
    }

    [Fact]
    public async Task An_error_message_with_an_apostrophe_is_sent_with_the_apostrophe_escaped()
    {
        await using var c = await fixture.ConnectAsync();
        var reply = await c.CallAsync("NoSuchCommand", new { }, Admin);
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains('\'', reply.GetProperty("message").GetString()!); // the message does carry one...
        Assert.DoesNotContain((byte)'\'', c.LastRawLine);                  // ...written as \u0027
        Assert.True(ContainsEscapedApostrophe(c.LastRawLine));
    }

    [Fact]
    public async Task A_user_name_with_an_apostrophe_reaches_replies_and_pushes_escaped()
    {
        await using var watcher = await fixture.ConnectAsync();
        (await watcher.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Admin)).AssertOk(); // adopts the admin identity: gets user:event
        await using var c = await fixture.ConnectAsync();
        var created = await c.CallAsync("AddUser", User("name", "O'Brien"), Admin);
        created.AssertOk();
        Assert.DoesNotContain((byte)'\'', c.LastRawLine);
        var login = created.Data().GetProperty("login").GetInt64();

        var account = await c.CallAsync("GetAccountByLogin", new { login }, Admin);
        Assert.Equal("O'Brien", account.Data().GetProperty("name").GetString());
        Assert.DoesNotContain((byte)'\'', c.LastRawLine);
        Assert.True(ContainsEscapedApostrophe(c.LastRawLine));

        var push = await watcher.WaitForAsync(l => l.Contains("user:event", StringComparison.Ordinal) && l.Contains($"\"login\":{login}", StringComparison.Ordinal));
        Assert.Contains("O\\u0027Brien", push, StringComparison.Ordinal);
        Assert.DoesNotContain((byte)'\'', watcher.LastRawLine);
    }

    private static bool ContainsEscapedApostrophe(byte[] raw) => raw.AsSpan().IndexOf("\\u0027"u8) >= 0;

    [Fact]
    public async Task Subscribe_to_only_unknown_or_lower_case_symbols_is_refused_with_their_names()
    {
        await using var c = await fixture.ConnectAsync();
        var reply = await c.CallAsync("Subscribe", new { chanels = new[] { "eurusd", "NOPE" } }, Admin);
        reply.AssertError(404, "RET_SYMBOL_NOT_FOUND");
        var message = reply.GetProperty("message").GetString()!;
        Assert.Contains("unknown symbol eurusd (symbol names are case-sensitive: EURUSD)", message, StringComparison.Ordinal);
        Assert.Contains("unknown symbol NOPE", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_with_some_unknown_symbols_answers_207_listing_both_and_streams_the_known_ones()
    {
        await using var c = await fixture.ConnectAsync();
        var reply = await c.CallAsync("Subscribe", new { chanels = new[] { "EURUSD", "gbpusd" } }, Admin);
        Assert.Equal(207, reply.Status());
        Assert.Equal(["EURUSD"], reply.Data().GetProperty("subscribed").EnumerateArray().Select(e => e.GetString()));
        var refused = Assert.Single(reply.Data().GetProperty("refused").EnumerateArray());
        Assert.Equal("gbpusd", refused.GetProperty("channel").GetString());
        Assert.Equal("RET_SYMBOL_NOT_FOUND", refused.GetProperty("error").GetString());
        await c.WaitForAsync(l => l.StartsWith("[\"t\",\"EURUSD\"", StringComparison.Ordinal));

        // All known: the plain "OK" the vendor clients expect.
        Assert.Equal(JsonValueKind.String, (await c.CallAsync("Subscribe", new { chanels = new[] { "GBPUSD" } }, Admin)).Data().ValueKind);
    }

    [Fact]
    public async Task Secgroups_empty_means_no_symbol_group_and_null_means_every_one()
    {
        await using var c = await fixture.ConnectAsync();
        (await c.CallAsync("UpdateGroup", Group("NoSecGroups", Array.Empty<object>()), Admin)).AssertOk();
        var user = await c.CallAsync("AddUser", User("group", "NoSecGroups"), Admin);
        user.AssertOk();
        var login = user.Data().GetProperty("login").GetInt64();
        var groups = await c.CallAsync("GetGroups", new { }, Admin);
        var row = groups.Data().GetProperty("rows").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "NoSecGroups");
        Assert.Equal(0, row.GetProperty("secgroups").GetArrayLength());

        (await c.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, Admin))
            .AssertError(404, "RET_TRADE_SEC_NOT_FOUND");

        (await c.CallAsync("UpdateGroup", Group("NoSecGroups", null), Admin)).AssertOk();
        (await c.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, Admin)).AssertOk();
        groups = await c.CallAsync("GetGroups", new { }, Admin);
        row = groups.Data().GetProperty("rows").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "NoSecGroups");
        Assert.Equal(JsonValueKind.Null, row.GetProperty("secgroups").ValueKind);
    }

    [Fact]
    public async Task The_embedded_groups_still_trade_every_symbol_group()
    {
        await using var c = await fixture.ConnectAsync();
        foreach (var (login, symbol) in new[] { (RealServerFixture.HedgingLogin, "EURUSD"), (RealServerFixture.HedgingLogin, "XAUUSD"), (RealServerFixture.NettingLogin, "BTCUSD") })
        {
            var opened = await c.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 1, symbol, sl = 0, tp = 0 }, Admin);
            opened.AssertOk();
        }
    }
}
