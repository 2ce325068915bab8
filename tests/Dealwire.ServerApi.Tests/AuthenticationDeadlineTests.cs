using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// The authentication deadline closes a connection that sent no valid token in time. A connection whose first command
/// carried a valid token but is slow to answer (a history read waiting for its store, a large export) has proved who
/// it is: before, it was closed with 408 RET_AUTH_TIMEOUT mid-command, because only an answered command counted.
/// </summary>
public sealed class AuthenticationDeadlineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_slow_first_command_with_a_valid_token_is_answered_past_the_authentication_deadline()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:AuthenticationTimeout"] = Deadline.ToString("c") }, wrapHistory: Slow);
        await using var c = await host.ConnectAsync();

        var history = await c.CallAsync("GetTradesHistoryByLogin", new { login = host.DemoLogin, from = 0, to = 4_000_000_000L }, host.AdminToken);
        history.AssertOk();
        (await c.CallAsync("GetAccountByLogin", new { login = host.DemoLogin }, host.AdminToken)).AssertOk();

        // Without a token the deadline still holds.
        await using var anonymous = await host.ConnectAsync();
        var timeout = Wire.Parse(await anonymous.WaitForAsync(l => l.Contains("RET_AUTH_TIMEOUT", StringComparison.Ordinal), TimeSpan.FromSeconds(15)));
        timeout.AssertError(408, "RET_AUTH_TIMEOUT");
        Assert.True(await anonymous.IsClosedByServerAsync());
    }

    /// <summary>Trade history answers four deadlines late.</summary>
    private static IHistoryReader Slow(IHistoryReader inner) => Interception.Wrap(inner, (method, _, next) =>
        method.Name == nameof(IHistoryReader.GetTradesAsync) ? LateAsync((Task<HistoryPage<TradeRecord>>)next()!) : next());

    private static async Task<HistoryPage<TradeRecord>> LateAsync(Task<HistoryPage<TradeRecord>> page)
    {
        await Task.Delay(Deadline * 4);
        return await page;
    }
}
