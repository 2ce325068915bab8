using System.Text.Json;
using Dealwire.Security;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Issue #15 (cross pairs) over a real socket: GetCrossPairSymbols lists the engine's chains, and an EUR account
/// trades USDJPY through EURUSD (refused off quotes before), the profit converted by the documented rule.
/// </summary>
[Collection(ConfigServerCollection.Name)]
public sealed class CrossPairEndToEndTests(ConfigServerFixture fixture)
{
    private string Admin => fixture.Server.AdminToken;

    private static JsonElement Row(JsonElement data, string symbol, string currency) =>
        data.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("symbol").GetString() == symbol && r.GetProperty("currency").GetString() == currency);

    private static string Chain(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? "none"
        : string.Join(" ", row.GetProperty(name).EnumerateArray().Select(l => $"{l.GetProperty("operation").GetString()}:{l.GetProperty("symbol").GetString()}.{l.GetProperty("price").GetString()}"));

    [Fact]
    public async Task An_EUR_account_sees_and_uses_the_USDJPY_chain_through_EURUSD()
    {
        await using var admin = await fixture.ConnectAsync();
        var forex = (await admin.CallAsync("GetSymbol", new { symbol = "USDJPY" }, Admin)).Data().GetProperty("sec_index").GetInt32();
        var group = await admin.CallAsync("AddGroup", new
        {
            group = "euro-cross", company = "Dealwire", currency = "EUR", enable = 1, margin_call = 100, margin_mode = 0, margin_type = 0,
            margin_stopout = 50, default_leverage = 100, default_deposit = 0, secgroups = new[] { new { sec_index = forex } }, secmargins = Array.Empty<object>(),
        }, Admin);
        group.AssertOk();

        var reply = await admin.CallAsync("GetCrossPairSymbols", new { symbol = "USDJPY", currency = "EUR" }, Admin);
        reply.AssertOk();
        var row = Row(reply.Data(), "USDJPY", "EUR");
        Assert.Equal("divide:USDJPY.ask divide:EURUSD.ask", Chain(row, "profit_chain"));
        Assert.Equal("divide:EURUSD.ask", Chain(row, "margin_chain"));
        Assert.Equal(1, row.GetProperty("available").GetInt32());

        // The whole list for the groups in view: USD rows too, with one-leg and empty chains.
        var all = (await admin.CallAsync("GetCrossPairSymbols", new { }, Admin)).Data();
        Assert.Equal("", Chain(Row(all, "EURUSD", "USD"), "profit_chain"));
        Assert.Equal("divide:USDJPY.ask", Chain(Row(all, "USDJPY", "USD"), "profit_chain"));
        Assert.Equal(all.GetProperty("rows").GetArrayLength(), all.GetProperty("count").GetInt32());

        // Unknown symbol: 404-class RET_SYMBOL_NOT_FOUND.
        var missing = await admin.CallAsync("GetCrossPairSymbols", new { symbol = "NOPE" }, Admin);
        Assert.Equal("RET_SYMBOL_NOT_FOUND", missing.Error());

        // The trade itself: refused off quotes before one-hop cross rates.
        var account = await admin.CallAsync("MngAddAccount", new { group = "euro-cross", name = "Euro", email = "eur@example.com", password = "secret1", leverage = 100, enable = 1 }, Admin);
        account.AssertOk();
        var login = account.Data().GetProperty("login").GetInt64();
        (await admin.CallAsync("BalanceIn", new { login, amount = 10_000 }, Admin)).AssertOk();
        var open = await admin.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "USDJPY", sl = 0, tp = 0 }, Admin);
        open.AssertOk();

        // A trader asks about its own currency only.
        var user = fixture.Server.IssueToken(SessionType.User, login, "euro-cross");
        var mine = (await admin.CallAsync("GetCrossPairSymbols", new { symbol = "USDJPY" }, user)).Data();
        Assert.Equal(["EUR"], mine.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("currency").GetString()!));
    }
}
