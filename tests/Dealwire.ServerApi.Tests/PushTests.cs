using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Security;

namespace Dealwire.ServerApi.Tests;

/// <summary>Pushed quotes, notifications, events and reindex arrays, checked byte for byte.</summary>
public sealed class PushTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    private static bool IsQuote(string line, string symbol) => line.StartsWith($"[\"t\",\"{symbol}\"", StringComparison.Ordinal);

    [Fact]
    public async Task Subscribed_manager_gets_raw_quote_arrays_with_time_in_seconds()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("Subscribe", new { chanels = new[] { "GBPUSD" } }, Host.AdminToken)).AssertOk();
        var time = await Host.TickAsync("GBPUSD", 1.25101m, 1.25104m);
        var line = await c.WaitForAsync(l => IsQuote(l, "GBPUSD"));
        Assert.Equal($"[\"t\",\"GBPUSD\",1.25101,1.25104,{time / 1000}]", line);
        Assert.Equal(5, Wire.Parse(line).GetArrayLength());
    }

    [Fact]
    public async Task User_gets_its_group_prices_and_manager_the_raw_ones()
    {
        await using var vip = await Host.ConnectAsync();
        await using var demo = await Host.ConnectAsync();
        await using var manager = await Host.ConnectAsync();
        (await vip.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, Host.VipUserToken)).AssertOk();
        (await demo.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, Host.DemoUserToken)).AssertOk();
        (await manager.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, Host.DemoManagerToken)).AssertOk();
        var time = await Host.TickAsync("EURUSD", 1.10100m, 1.10102m) / 1000;
        // vip: one point markup on each side.
        Assert.Equal($"[\"t\",\"EURUSD\",1.10099,1.10103,{time}]", await vip.WaitForAsync(l => IsQuote(l, "EURUSD") && l.EndsWith($",{time}]")));
        Assert.Equal($"[\"t\",\"EURUSD\",1.10100,1.10102,{time}]", await demo.WaitForAsync(l => IsQuote(l, "EURUSD") && l.EndsWith($",{time}]")));
        Assert.Equal($"[\"t\",\"EURUSD\",1.10100,1.10102,{time}]", await manager.WaitForAsync(l => IsQuote(l, "EURUSD") && l.EndsWith($",{time}]")));
    }

    [Fact]
    public async Task Unsubscribe_stops_quotes_and_subscribe_all_starts_every_symbol()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("Subscribe", new { chanels = new[] { "XAUUSD" } }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("Unsubscribe", new { chanels = new[] { "XAUUSD" } }, Host.AdminToken)).AssertOk();
        await Host.TickAsync("XAUUSD", 2001.00m, 2001.50m);
        Assert.True(await c.IsSilentAsync(TimeSpan.FromMilliseconds(300)));

        (await c.CallAsync("SubscribeAll", null, Host.AdminToken)).AssertOk();
        await Host.TickAsync("XAUUSD", 2002.00m, 2002.50m);
        Assert.StartsWith("[\"t\",\"XAUUSD\",2002.00,2002.50,", await c.WaitForAsync(l => IsQuote(l, "XAUUSD")));

        (await c.CallAsync("UnsubscribeAll", null, Host.AdminToken)).AssertOk();
        await Host.TickAsync("XAUUSD", 2003.00m, 2003.50m);
        Assert.True(await c.IsSilentAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Subscribe_validates_the_misspelled_chanels_key()
    {
        await using var c = await Host.ConnectAsync();
        var reply = await c.CallAsync("Subscribe", new { channels = new[] { "EURUSD" } }, Host.AdminToken);
        reply.AssertError(400, "INVALID_DATA");
        Assert.Equal("chanels is required", reply.GetProperty("message").GetString());
        (await c.CallAsync("Subscribe", new { chanels = "EURUSD" }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("Subscribe", new { chanels = new object[] { 5 } }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
    }

    [Fact]
    public async Task Notifications_have_nine_elements_without_data_and_ten_with()
    {
        await using var user = await Host.ConnectAsync();
        (await user.CallAsync("SubscribeAll", null, Host.DemoUserToken)).AssertOk();
        await using var admin = await Host.ConnectAsync();
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = Host.DemoLogin, token = "tok-plain", message = "Hello", type = 0, level = 10, status = 0,
        }, Host.AdminToken)).AssertOk();
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = Host.DemoLogin, token = "tok-data", message = "Order", description = "Order {order} filled", type = 0, level = 20, status = 1,
            data = new { order = 42 },
        }, Host.AdminToken)).AssertOk();

        var plain = Wire.Parse(await user.WaitForAsync(l => l.StartsWith("[\"n\"") && l.Contains("tok-plain")));
        Assert.Equal(9, plain.GetArrayLength());
        Assert.Equal(["n", "Hello", "", "tok-plain"], plain.EnumerateArray().Take(4).Select(e => e.GetString()));
        Assert.Equal(0, plain[4].GetInt32());
        Assert.Equal(10, plain[5].GetInt32());
        Assert.Equal(Host.DemoLogin, plain[6].GetInt64());
        Assert.InRange(plain[7].GetInt64(), 1_600_000_000, 9_999_999_999);
        Assert.Equal(200, plain[8].GetInt32());

        var withData = Wire.Parse(await user.WaitForAsync(l => l.StartsWith("[\"n\"") && l.Contains("tok-data")));
        Assert.Equal(10, withData.GetArrayLength());
        Assert.Equal(JsonValueKind.Object, withData[8].ValueKind);
        Assert.Equal(42, withData[8].GetProperty("order").GetInt32()); // a JSON number stays a number (issue #12)
        Assert.Equal(20, withData[5].GetInt32());
        Assert.Equal(200, withData[9].GetInt32());
    }

    [Fact]
    public async Task Trade_events_reach_the_owner_and_managers_of_its_group_only()
    {
        await using var owner = await Host.ConnectAsync();
        await using var other = await Host.ConnectAsync();
        await using var demoManager = await Host.ConnectAsync();
        await using var vipManager = await Host.ConnectAsync();
        (await owner.CallAsync("SubscribeAll", null, Host.DemoUserToken)).AssertOk();
        (await other.CallAsync("SubscribeAll", null, Host.VipUserToken)).AssertOk();
        (await demoManager.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.DemoManagerToken)).AssertOk();
        var vipToken = Host.Issue(SessionType.Manager, 8, "vip", Rights.ManagerDefault);
        (await vipManager.CallAsync("GetSymbol", new { symbol = "EURUSD" }, vipToken)).AssertOk();

        var trade = await Host.Ok(new OpenPosition(Host.DemoLogin, "GBPUSD", TradeCommand.Buy, 10));

        bool IsMine(string l) => l.StartsWith("{\"event\":\"trade:event\"") && l.Contains($"\"order\":{trade.Ticket},");
        var ev = Wire.Parse(await owner.WaitForAsync(IsMine));
        Assert.Equal(0, ev.GetProperty("type").GetInt32());
        var data = ev.GetProperty("data");
        Assert.Equal(trade.Ticket, data.GetProperty("order").GetInt64());
        Assert.Equal(Host.DemoLogin, data.GetProperty("login").GetInt64());
        Assert.Equal("GBPUSD", data.GetProperty("symbol").GetString());
        Assert.Equal(0, data.GetProperty("cmd").GetInt32());
        Assert.Equal(10, data.GetProperty("volume").GetInt32());
        Assert.Equal(0, data.GetProperty("state").GetInt32());
        Assert.Equal("demo", data.GetProperty("group").GetString());
        Assert.InRange(data.GetProperty("open_time").GetInt64(), 1_600_000_000, 9_999_999_999);
        foreach (var field in new[] { "open_price", "sl", "tp", "close_time", "profit", "storage", "commission", "comment", "digits", "expiration", "reason", "activation", "magic" })
        {
            Assert.True(data.TryGetProperty(field, out _), field);
        }
        Assert.False(ev.TryGetProperty("extID", out _));

        await demoManager.WaitForAsync(IsMine);
        Assert.DoesNotContain(await Drain(other), IsMine);
        Assert.DoesNotContain(await Drain(vipManager), IsMine);
    }

    [Fact]
    public async Task Balance_and_user_events_follow_the_latest_token_of_the_connection()
    {
        await using var c = await Host.ConnectAsync();
        // First a vip user token, then the demo manager's: events now follow the manager's mask.
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.VipUserToken)).AssertOk();
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.DemoManagerToken)).AssertOk();
        await Host.Ok(new PostLedger(Host.DemoLogin, LedgerKind.Deposit, 5m) { Comment = "push" });
        var ev = Wire.Parse(await c.WaitForAsync(l => l.StartsWith("{\"event\":\"balance:event\"")));
        Assert.Equal(1, ev.GetProperty("type").GetInt32());
        var data = ev.GetProperty("data");
        Assert.Equal(Host.DemoLogin, data.GetProperty("login").GetInt64());
        foreach (var field in new[] { "balance", "equity", "margin_level", "credit", "margin", "margin_free", "group" })
        {
            Assert.True(data.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Symbol_and_symbol_group_changes_push_events_and_two_element_reindex_arrays()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.DemoUserToken)).AssertOk();
        await Host.Ok(new UpsertSymbol(new SymbolConfig { Name = "AUDUSD", Digits = 5, BaseCurrency = "AUD", SortIndex = 3 }));
        var skipped = new List<string>();
        var sr = Wire.Parse(await c.WaitForAsync(l => l.StartsWith("[\"sr\""), skipped: skipped));
        Assert.Equal(2, sr.GetArrayLength());
        var entry = sr[1].EnumerateArray().Single(e => e[0].GetString() == "AUDUSD");
        Assert.Equal(3, entry.GetArrayLength());
        Assert.Equal(3, entry[2].GetInt32());
        Assert.Contains(skipped, l => l.StartsWith("{\"event\":\"symbol:event\",\"type\":0,\"data\":{\"symbol\":\"AUDUSD\""));

        await Host.Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 5, Name = "Crypto", SortIndex = 9 }));
        var sc = Wire.Parse(await c.WaitForAsync(l => l.StartsWith("[\"sc\"")));
        Assert.Equal(2, sc.GetArrayLength());
        Assert.Contains(sc[1].EnumerateArray(), e => e[0].GetInt32() == 5 && e[1].GetInt32() == 9 && e.GetArrayLength() == 2);
    }

    [Fact]
    public async Task Group_events_go_to_staff_whose_mask_covers_the_group()
    {
        await using var manager = await Host.ConnectAsync();
        await using var user = await Host.ConnectAsync();
        (await manager.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.DemoManagerToken)).AssertOk();
        (await user.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Host.DemoUserToken)).AssertOk();
        await Host.Ok(new UpsertGroup(new GroupConfig { Name = "demo-pro", DefaultLeverage = 200 }));
        var ev = Wire.Parse(await manager.WaitForAsync(l => l.StartsWith("{\"event\":\"group:event\"")));
        Assert.Equal("demo-pro", ev.GetProperty("data").GetProperty("group").GetString());
        Assert.Equal(200, ev.GetProperty("data").GetProperty("default_leverage").GetInt32());
        Assert.DoesNotContain(await Drain(user), l => l.Contains("group:event"));
    }

    [Fact]
    public async Task A_connection_without_a_valid_token_receives_no_pushes()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("SubscribeAll", null, "bad.token.here")).AssertError(401, "PERMISSION_DENIED");
        await Host.TickAsync("EURUSD", 1.10200m, 1.10202m);
        Assert.True(await c.IsSilentAsync(TimeSpan.FromMilliseconds(300)));
    }

    private static async Task<List<string>> Drain(Testing.LineClient c)
    {
        var lines = new List<string>();
        try
        {
            while (true) lines.Add(await c.ReadLineAsync(TimeSpan.FromMilliseconds(300)));
        }
        catch (TimeoutException)
        {
        }
        return lines;
    }
}
