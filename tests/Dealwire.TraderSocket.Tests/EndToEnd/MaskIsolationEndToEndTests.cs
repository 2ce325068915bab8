using System.Text.Json;
using Dealwire.TraderSocket.Tests.Infrastructure;

namespace Dealwire.TraderSocket.Tests.EndToEnd;

/// <summary>
/// Two keys, two masks: "demo" (account 1000) and "netting" (group demo-netting, account 1001). Each connection gets
/// its groups' accounts in the snapshot and its groups' events live, never the other's. Absence is proven with a
/// sentinel: activity on the other group happens first, then a deposit on the connection's own account; when that
/// sentinel arrives, everything before it has been delivered.
/// </summary>
[Collection(TraderSocketCollection.Name)]
public sealed class MaskIsolationEndToEndTests(TraderSocketFixture fixture)
{
    [Fact]
    public async Task Each_key_receives_only_the_accounts_of_its_groups()
    {
        await using var api = await fixture.ServerApiAsync();
        await using var demo = await fixture.TradingAsync();
        await using var netting = await fixture.TradingAsync();
        await demo.AuthenticateAsync(fixture.DemoKey);
        await netting.AuthenticateAsync(fixture.NettingKey);

        // Netting-group activity, then the demo connection's sentinel.
        await api.DepositAsync(TraderSocketFixture.NettingLogin, 5m, "netting only");
        var nettingTicket = await api.OpenAsync(TraderSocketFixture.NettingLogin, "GBPUSD", 0, 10);
        var demoSentinel = "demo sentinel " + Guid.NewGuid();
        await api.DepositAsync(TraderSocketFixture.HedgingLogin, 1m, demoSentinel);
        var demoSeen = new List<JsonElement>();
        await demo.WaitForAsync(m => Push.IsOperation(m, demoSentinel), demoSeen);

        // Demo-group activity, then the netting connection's sentinel.
        var demoTicket = await api.OpenAsync(TraderSocketFixture.HedgingLogin, "EURUSD", 0, 10);
        var nettingSentinel = "netting sentinel " + Guid.NewGuid();
        await api.DepositAsync(TraderSocketFixture.NettingLogin, 1m, nettingSentinel);
        var nettingSeen = new List<JsonElement>();
        await netting.WaitForAsync(m => Push.IsOperation(m, nettingSentinel), nettingSeen);
        await demo.WaitForAsync(m => Push.Is(m, "position", "created", out var p) && p.GetProperty("id").GetString() == demoTicket.ToString(), demoSeen);

        Assert.Contains(demoSeen, m => Push.AccountOf(m) == "1000" && Push.Is(m, "account_event", "account_added", out _));
        Assert.DoesNotContain(demoSeen, m => Push.AccountOf(m) == "1001");
        Assert.All(demoSeen.Where(m => Push.Is(m, "account_event", out _)), m => Assert.Equal("demo", Group(m)));

        Assert.Contains(nettingSeen, m => Push.AccountOf(m) == "1001" && Push.Is(m, "account_event", "account_added", out _));
        Assert.Contains(nettingSeen, m => Push.Is(m, "position", "created", out var p) && p.GetProperty("id").GetString() == nettingTicket.ToString());
        Assert.DoesNotContain(nettingSeen, m => Push.AccountOf(m) == "1000");
        Assert.All(nettingSeen.Where(m => Push.Is(m, "account_event", out _)), m => Assert.Equal("demo-netting", Group(m)));
    }

    private static string? Group(JsonElement m) =>
        Push.Is(m, "account_event", "account_added", out var a) ? a.GetProperty("trading_group").GetString()
        : Push.Is(m, "account_event", "account_update", out var u) ? u.GetProperty("account").GetProperty("trading_group").GetString()
        : null;
}
