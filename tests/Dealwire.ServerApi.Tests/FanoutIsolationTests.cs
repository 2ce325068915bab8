using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Fanout;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// One event that cannot be serialized must not cost the other events of its commit batch. The engine and the
/// gateway refuse the inputs that used to cause it, so the bad event is handed to the fan-out directly, as the
/// engine's commit thread would hand over a batch.
/// </summary>
public sealed class FanoutIsolationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task A_batch_with_one_unserializable_event_still_delivers_the_five_deposits_after_it()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("GetSymbols", null, Host.AdminToken)).AssertOk(); // the connection adopts the admin identity
        var login = Host.DemoLogin;
        var margin = await Host.Runner.QueryAsync(r => r.GetMargin(login)!);

        // No input the gateway or engine accepts makes a Server API frame fail any more (the relaxed encoder even
        // replaces lone surrogates), so the bad event is one the fan-out cannot render at all: no money snapshot.
        var bad = new BalanceEvent(new LedgerEntry { Login = login, Kind = LedgerKind.Deposit, Amount = 1m }, null!);
        var deposits = Enumerable.Range(1, 5).Select(i => (EngineEvent)new BalanceEvent(
            new LedgerEntry { Id = 90_000 + i, Login = login, Kind = LedgerKind.Deposit, Amount = i },
            margin with { Balance = 77_000m + i })).ToList();
        Assert.ThrowsAny<Exception>(() => Host.Services.GetRequiredService<EventFanout>().Publish(bad));

        Host.Services.GetRequiredService<EventFanout>().OnEvents([bad, .. deposits]);

        for (var i = 1; i <= 5; i++)
        {
            var balance = 77_000 + i;
            await c.WaitForAsync(l => l.Contains("balance:event", StringComparison.Ordinal) && l.Contains($"\"balance\":{balance}", StringComparison.Ordinal));
        }
    }
}
