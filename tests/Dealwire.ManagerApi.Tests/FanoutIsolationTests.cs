using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Fanout;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.ManagerApi.Tests;

/// <summary>
/// An event naming an id the newer layout cannot carry (the UUID mapping holds 62 bits) is skipped alone:
/// the rest of its batch still reaches the manager. The engine and gateways now refuse such ids, so the
/// batch is handed to the hub directly, as the engine's commit thread would.
/// </summary>
public sealed class FanoutIsolationTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private long _demo;

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync();
        _demo = await _server.AccountAsync("demo", 1000m);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_login_beyond_62_bits_in_a_batch_costs_only_its_own_event()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey, "num_id_preferred");
        var confirm = await client.CallAsync("subscribe", "{\"topics\":[\"accounts\"]}");
        Assert.True(confirm.At("subscribe_result.success").GetBoolean());
        await client.WaitForAsync(e => ManagerClient.ServerMessage(e).TryGetProperty("accounts", out var a) && a.TryGetProperty("snapshot", out _));

        var margin = await _server.Runner.QueryAsync(r => r.GetMargin(_demo)!);
        const long unmappable = long.MaxValue;
        Assert.Throws<ArgumentOutOfRangeException>(() => ManagerIds.ToUuid(EntityKind.Account, unmappable));
        var bad = new BalanceEvent(new LedgerEntry { Login = unmappable, Kind = LedgerKind.Deposit, Amount = 1m }, margin with { Login = unmappable });
        var deposits = Enumerable.Range(1, 5).Select(i => (EngineEvent)new BalanceEvent(
            new LedgerEntry { Id = 90_000 + i, Login = _demo, Kind = LedgerKind.Deposit, Amount = i },
            margin with { Balance = 55_000m + i })).ToList();

        // Events carry the sequence of their command; the subscription drops anything at or below its snapshot's,
        // so the hand-made batch is stamped past every sequence the engine has used (as its commit would be).
        var next = 1_000_000L;
        foreach (var e in (List<EngineEvent>)[bad, .. deposits]) HandMadeBatches.Stamp(e, next++);
        List<EngineEvent> events = [bad, .. deposits];
        _server.Services.GetRequiredService<ManagerHub>().OnApplied(new CommittedBatch(1_000_000L, next - 1, [], events), events);

        for (var i = 1; i <= 5; i++)
        {
            var balance = (55_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await client.WaitForAsync(e => ManagerClient.ServerMessage(e).GetRawText().Contains(balance, StringComparison.Ordinal));
        }
    }
}
