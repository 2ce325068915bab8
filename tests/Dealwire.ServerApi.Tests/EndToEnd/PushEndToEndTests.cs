using System.Globalization;
using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>Quotes at group prices and the trade / finance pushes of the real process (fixed replayed prices).</summary>
[Collection(RealServerCollection.Name)]
public sealed class PushEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    private static bool IsQuote(string line, string symbol) => line.StartsWith($"[\"t\",\"{symbol}\",", StringComparison.Ordinal);

    [Fact]
    public async Task A_user_gets_its_group_markup_a_manager_the_raw_price()
    {
        await using var admin = await fixture.ConnectAsync();
        // EURUSD replays at 1.10000 / 1.10010; this group marks the bid down 2 points and the ask up 3.
        (await admin.CallAsync("UpdateGroup", ProtocolEndToEndTests.Group("e2e-markup",
            [new { symbol = "EURUSD", bid_markup = -2, ask_markup = 3 }]), Admin)).AssertOk();
        var login = await NewAccountAsync(admin, "e2e-markup", 0m);
        var userToken = fixture.Issue(SessionType.User, login, "e2e-markup");

        await using var user = await fixture.ConnectAsync();
        await using var plain = await fixture.ConnectAsync();
        (await user.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, userToken)).AssertOk();
        (await plain.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, fixture.Issue(SessionType.User, RealServerFixture.HedgingLogin, "demo"))).AssertOk();
        (await admin.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, Admin)).AssertOk();

        for (var i = 0; i < 3; i++)
        {
            Assert.Matches("""^\["t","EURUSD",1\.09998,1\.10013,\d{10}\]$""", await user.WaitForAsync(l => IsQuote(l, "EURUSD")));
            Assert.Matches("""^\["t","EURUSD",1\.10000,1\.10010,\d{10}\]$""", await plain.WaitForAsync(l => IsQuote(l, "EURUSD")));
            Assert.Matches("""^\["t","EURUSD",1\.10000,1\.10010,\d{10}\]$""", await admin.WaitForAsync(l => IsQuote(l, "EURUSD")));
        }
        // Only the subscribed channel arrives.
        Assert.DoesNotContain(await Drain(user, TimeSpan.FromMilliseconds(500)), l => l.StartsWith("[\"t\",", StringComparison.Ordinal) && !IsQuote(l, "EURUSD"));
    }

    [Fact]
    public async Task A_trade_and_a_deposit_push_trade_and_balance_events_to_the_owner_at_the_replayed_prices()
    {
        await using var admin = await fixture.ConnectAsync();
        var login = await NewAccountAsync(admin, "demo", 1000m);
        await using var owner = await fixture.ConnectAsync();
        await using var stranger = await fixture.ConnectAsync();
        (await owner.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.User, login, "demo"))).AssertOk();
        (await stranger.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.User, RealServerFixture.NettingLogin, "demo-netting"))).AssertOk();

        // Buy 0.10 lot at the ask 1.10010.
        var open = await admin.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, Admin);
        open.AssertOk();
        var order = open.Data().GetProperty("order").GetInt64();
        Assert.Equal(1.10010m, open.Data().GetProperty("open_price").GetDecimal());
        var opened = await EventAsync(owner, "trade:event", d => d.GetProperty("order").GetInt64() == order);
        Assert.Equal(0, opened.GetProperty("type").GetInt32());
        Assert.Equal(login, opened.GetProperty("data").GetProperty("login").GetInt64());
        Assert.Equal("demo", opened.GetProperty("data").GetProperty("group").GetString());

        var deposit = await admin.CallAsync("BalanceInSync", new { login, amount = 123.45m, comment = "e2e deposit" }, Admin);
        deposit.AssertOk();
        Assert.Equal(6, deposit.Data().GetProperty("cmd").GetInt32());
        Assert.Equal(123.45m, deposit.Data().GetProperty("profit").GetDecimal());
        // The engine books the ledger entry before it reports the record: balance:event may come first.
        var depositPushes = await PushesAsync(owner, ("balance:event", d => d.GetProperty("balance").GetDecimal() == 1123.45m),
            ("trade:event", d => d.GetProperty("cmd").GetInt32() == 6 && d.GetProperty("profit").GetDecimal() == 123.45m));
        Assert.Equal(1, depositPushes[0].GetProperty("type").GetInt32());

        // Close at the bid 1.10000: (1.10000 - 1.10010) x 0.10 lot x 100 000 = -1.00 USD.
        var close = await admin.CallAsync("MngCloseTradeSync", new { login, order }, Admin);
        close.AssertOk();
        Assert.Equal(1.10000m, close.Data().GetProperty("close_price").GetDecimal());
        Assert.Equal(-1.00m, close.Data().GetProperty("profit").GetDecimal());
        var closePushes = await PushesAsync(owner, ("balance:event", d => d.GetProperty("balance").GetDecimal() == 1122.45m),
            ("trade:event", d => d.GetProperty("order").GetInt64() == order && d.GetProperty("close_time").GetInt64() > 0));
        Assert.Equal(-1.00m, closePushes[1].GetProperty("data").GetProperty("profit").GetDecimal());
        Assert.Equal(1.10000m, closePushes[1].GetProperty("data").GetProperty("close_price").GetDecimal());

        var account = await admin.CallAsync("GetAccountByLogin", new { login }, Admin);
        Assert.Equal(1122.45m, account.Data().GetProperty("balance").GetDecimal());
        var history = await admin.CallAsync("GetTradesHistoryByLogin", new { login, from = 0, to = 4_000_000_000L }, Admin);
        history.AssertOk();
        Assert.Equal(1, history.Data().GetProperty("count").GetInt32());
        Assert.DoesNotContain(await Drain(stranger, TimeSpan.FromMilliseconds(300)), l => l.Contains($"\"login\":{login},", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notification_reaches_its_recipient_as_a_nine_element_array()
    {
        await using var admin = await fixture.ConnectAsync();
        await using var user = await fixture.ConnectAsync();
        (await user.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.User, RealServerFixture.HedgingLogin, "demo"))).AssertOk();
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.HedgingLogin, token = "e2e-n1", message = "Hello", type = 0, level = 10, status = 0,
        }, Admin)).AssertOk();
        var n = Wire.Parse(await user.WaitForAsync(l => l.StartsWith("[\"n\",", StringComparison.Ordinal) && l.Contains("e2e-n1", StringComparison.Ordinal)));
        Assert.Equal(9, n.GetArrayLength());
        Assert.Equal(RealServerFixture.HedgingLogin, n[6].GetInt64());
    }

    /// <summary>Creates an account in <paramref name="group"/> (and funds it) over the wire; returns its login.</summary>
    private async Task<long> NewAccountAsync(LineClient admin, string group, decimal deposit)
    {
        var created = await admin.CallAsync("MngAddAccount", new
        {
            group, name = "E2E Trader", email = "e2e@example.com", password = "secret1", leverage = 100, enable = 1,
        }, Admin);
        created.AssertOk();
        var login = created.Data().GetProperty("login").GetInt64();
        if (deposit > 0) (await admin.CallAsync("BalanceInSync", new { login, amount = deposit }, Admin)).AssertOk();
        return login;
    }

    /// <summary>Waits until every expected event has arrived, in any order; returns them in the order asked.</summary>
    private static async Task<JsonElement[]> PushesAsync(LineClient c, params (string Name, Func<JsonElement, bool> Match)[] expected)
    {
        var found = new JsonElement?[expected.Length];
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (found.Any(f => f is null))
        {
            string line;
            try
            {
                line = await c.ReadLineAsync(deadline - DateTime.UtcNow);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"missing {string.Join(", ", expected.Where((_, i) => found[i] is null).Select(e => e.Name))}; received:\n{string.Join('\n', seen)}");
            }
            seen.Add(line);
            if (!line.StartsWith("{\"event\":", StringComparison.Ordinal)) continue;
            var e = Wire.Parse(line);
            Assert.False(e.TryGetProperty("extID", out _));
            for (var i = 0; i < expected.Length; i++)
            {
                if (found[i] is null && e.GetProperty("event").GetString() == expected[i].Name && expected[i].Match(e.GetProperty("data"))) found[i] = e;
            }
        }
        return found.Select(f => f!.Value).ToArray();
    }

    private async Task<JsonElement> EventAsync(LineClient c, string name, Func<JsonElement, bool> match)
    {
        var prefix = $"{{\"event\":\"{name}\"";
        var skipped = new List<string>();
        string line;
        try
        {
            line = await c.WaitForAsync(l => l.StartsWith(prefix, StringComparison.Ordinal) && match(Wire.Parse(l).GetProperty("data")), skipped: skipped);
        }
        catch (TimeoutException)
        {
            var more = await Drain(c, TimeSpan.FromSeconds(2));
            throw new TimeoutException($"no matching {name}; received meanwhile:\n{string.Join('\n', skipped)}\nthen:\n{string.Join('\n', more)}\nserver:\n{fixture.Server.CapturedOutput}");
        }
        var e = Wire.Parse(line);
        Assert.False(e.TryGetProperty("extID", out _));
        return e;
    }

    /// <summary>Every line that arrives within <paramref name="window"/> (bounded even when quotes keep coming).</summary>
    private static async Task<List<string>> Drain(LineClient c, TimeSpan window)
    {
        var lines = new List<string>();
        var deadline = DateTime.UtcNow + window;
        try
        {
            for (var left = window; left > TimeSpan.Zero; left = deadline - DateTime.UtcNow) lines.Add(await c.ReadLineAsync(left));
        }
        catch (TimeoutException)
        {
        }
        return lines;
    }
}
