using System.Diagnostics;
using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Issue #15: balance:event while profit floats. A server on the moving synthetic feed with figures rounds every
/// 500 ms of engine time: a staff connection receives margin-level updates of an account with an open position
/// although no command touches it, each with the floating profit of the moment, no closer together than the cadence.
/// </summary>
public sealed class FloatingBalanceEndToEndTests
{
    private const int IntervalMs = 500;

    private static bool IsBalanceOf(string line, long login) =>
        line.Contains("\"event\":\"balance:event\"", StringComparison.Ordinal) && Wire.Parse(line).GetProperty("data").GetProperty("login").GetInt64() == login;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Staff_receive_floating_margin_updates_at_the_figures_cadence()
    {
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__Engine__FiguresIntervalMs"] = IntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var server = await DealwireProcess.StartAsync(options);
        var admin = server.AdminToken;
        await using var desk = await LineClient.ConnectAsync(server.ServerApiPort);
        await using var trader = await LineClient.ConnectAsync(server.ServerApiPort);
        // The desk adopts a staff identity (mask *) with its first command; events need no subscription.
        (await desk.CallAsync("GetSymbol", new { symbol = "EURUSD" }, server.IssueToken(SessionType.Manager, 5, "*"))).AssertOk();

        // Synthetic prices move: open once the symbol is priced.
        JsonElement open;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            open = await trader.CallAsync("MngOpenTradeSync", new { login = 1000, cmd = 0, volume = 100, symbol = "EURUSD", sl = 0, tp = 0 }, admin);
            if (open.Status() == 200) break;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        open.AssertOk();

        // From here no command touches account 1000: every balance:event the desk sees is the floating figures round.
        var clock = Stopwatch.StartNew();
        var profits = new List<decimal>();
        var first = TimeSpan.Zero;
        for (var i = 0; i < 5; i++)
        {
            var line = await desk.WaitForAsync(l => IsBalanceOf(l, 1000), TimeSpan.FromSeconds(15));
            if (i == 1) first = clock.Elapsed;
            var data = Wire.Parse(line).GetProperty("data");
            profits.Add(data.GetProperty("profit").GetDecimal());
        }
        var spread = clock.Elapsed - first;
        // Four events after the first need at least three intervals of engine time (ticks carry wall-clock time).
        Assert.True(spread >= TimeSpan.FromMilliseconds(3 * IntervalMs * 0.8), $"5 floating updates within {spread}: cadence not bounded");
        Assert.True(profits.Distinct().Count() > 1, "the floating profit never changed: " + string.Join(", ", profits));
    }
}
