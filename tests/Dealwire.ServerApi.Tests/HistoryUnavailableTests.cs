using Dealwire.ReadModel.History;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// A history read the store cannot serve (database down, or its projector stopped) is answered with the spec's
/// <c>TRADE_HISTORY_ERROR</c> and the store's own reason, not a bare "internal error", and the connection goes on.
/// </summary>
public sealed class HistoryUnavailableTests
{
    private const string Reason = "the history store is at sequence 5, behind the committed 9, and its projector has stopped (lapped): run dealwire history rebuild";

    [Fact]
    public async Task A_history_read_the_store_cannot_serve_answers_TRADE_HISTORY_ERROR_with_the_reason()
    {
        await using var host = await GatewayHost.StartAsync(wrapHistory: UnavailableTrades);
        await using var c = await host.ConnectAsync();

        var reply = await c.CallAsync("GetTradesHistoryByLogin", new { login = host.DemoLogin, from = 0, to = 4_000_000_000L }, host.AdminToken);
        reply.AssertError(500, "TRADE_HISTORY_ERROR");
        Assert.Equal(Reason, reply.GetProperty("message").GetString());

        // Nothing else is affected: the same connection reads the live view.
        (await c.CallAsync("GetAccountByLogin", new { login = host.DemoLogin }, host.AdminToken)).AssertOk();
    }

    /// <summary>Every read goes to the real reader except trade history, which the store cannot serve.</summary>
    private static IHistoryReader UnavailableTrades(IHistoryReader inner) => Interception.Wrap(inner, (method, _, next) =>
        method.Name == nameof(IHistoryReader.GetTradesAsync) ? Task.FromException<HistoryPage<Engine.Model.TradeRecord>>(new HistoryUnavailableException(Reason)) : next());
}
