using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Fanout;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.ManagerApi.Tests;

/// <summary>
/// The prices the fan-out takes in one pass are queued to each subscriber together and leave in one
/// <c>last_prices</c> message, in the subscriber's layout. The dispatcher is held on a batch while the quotes arrive, so
/// both are waiting when it takes them.
/// </summary>
public sealed class PricePassTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ManagerApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(null, "success.last_prices.updated.data")]
    [InlineData("num_id_preferred", "last_prices.update")]
    public async Task Prices_taken_in_one_pass_reach_a_subscriber_in_one_message(string? idRepresentation, string updates)
    {
        await using var client = await _server.ConnectAsync();
        if (idRepresentation is null) await client.AuthAsync(_server.AdminKey);
        else await client.AuthAsync(_server.AdminKey, idRepresentation);
        await client.CallAsync("subscribe", "{\"topics\":[\"prices\"]}");
        await client.WaitForAsync(e => ManagerClient.ServerMessage(e).GetRawText().Contains("snapshot", StringComparison.Ordinal));

        var hub = _server.Services.GetRequiredService<ManagerHub>();
        using var held = new ManualResetEventSlim();
        using var holding = new ManualResetEventSlim();
        void Hold(AccountFiguresEvent _)
        {
            holding.Set();
            held.Wait(TimeSpan.FromSeconds(30));
        }
        hub.FiguresApplied += Hold;
        try
        {
            var figures = new AccountFiguresEvent([], [], []);
            HandMadeBatches.Stamp(figures, 1_000_000L);
            hub.OnApplied(new CommittedBatch(1_000_000L, 1_000_000L, [], [figures]), [figures]);
            Assert.True(holding.Wait(TimeSpan.FromSeconds(30)), "the dispatcher never reached the held batch");

            hub.OnQuote("EURUSD", new Quote(1.23456m, 1.23459m, 1_767_225_600_000));
            hub.OnQuote("XAUUSD", new Quote(2345.67m, 2346.01m, 1_767_225_600_000));
        }
        finally
        {
            held.Set();
            hub.FiguresApplied -= Hold;
        }

        var message = await client.WaitForAsync(e => ManagerClient.ServerMessage(e).GetRawText().Contains("2345.67", StringComparison.Ordinal));
        var prices = ManagerClient.ServerMessage(message).At(updates);
        Assert.Equal(2, prices.GetArrayLength());
        var bids = prices.EnumerateArray().Select(p => p.GetProperty("bid").GetDecimal()).Order().ToArray();
        Assert.Equal([1.23456m, 2345.67m], bids);
    }
}
