using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>The chart commands (scaletrade-tcp §7.8) against the real process over a raw socket: shapes, edits, error codes.</summary>
[Collection(RealServerCollection.Name)]
public sealed class ChartEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    // A day long before the server started: the live feed never writes candles there.
    private const long Day = 1_262_304_000; // 2010-01-01T00:00:00Z, Unix seconds

    private static List<decimal[]> Rows(JsonElement reply) =>
        reply.Data().GetProperty("data").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDecimal()).ToArray()).ToList();

    [Fact]
    public async Task Imported_candles_are_read_back_in_the_documented_layout_and_edits_apply()
    {
        await using var c = await fixture.ConnectAsync();
        var import = await c.CallAsync("ImportChartData", new
        {
            symbol = "GBPUSD", flushData = 0,
            candles = new[]
            {
                new[] { 1.2500m, 1.2520m, 1.2490m, 1.2510m, 7m, Day },
                new[] { 1.2510m, 1.2590m, 1.2505m, 1.2515m, 3m, Day + 60 },
                new[] { 1.2515m, 1.2530m, 1.2500m, 1.2525m, 5m, Day + 300 },
            },
        }, Admin);
        import.AssertOk();
        Assert.Equal("OK", import.Data().GetString());

        var m1 = await c.CallAsync("GetChartData", new { symbol = "GBPUSD", from = Day, to = Day + 3600, frame = "1M" }, Admin);
        m1.AssertOk();
        Assert.Equal("""["open","high","low","close","volume","time"]""", m1.Data().GetProperty("structure").GetRawText());
        Assert.Equal(
            [[1.2500m, 1.2520m, 1.2490m, 1.2510m, 7m, Day], [1.2510m, 1.2590m, 1.2505m, 1.2515m, 3m, Day + 60], [1.2515m, 1.2530m, 1.2500m, 1.2525m, 5m, Day + 300]],
            Rows(m1));
        // The older spelling of the same frame, and M5 rolled from M1.
        Assert.Equal(Rows(m1), Rows(await c.CallAsync("GetChartData", new { symbol = "GBPUSD", from = Day, to = Day + 3600, frame = "M1" }, Admin)));
        Assert.Equal([[1.2500m, 1.2590m, 1.2490m, 1.2515m, 10m, Day], [1.2515m, 1.2530m, 1.2500m, 1.2525m, 5m, Day + 300]],
            Rows(await c.CallAsync("GetChartData", new { symbol = "GBPUSD", from = Day, to = Day + 3600, frame = "5M" }, Admin)));

        // The spike at 00:01 goes; 00:05 is deleted with the documented [o,h,l,c,time,volume] layout.
        (await c.CallAsync("FixSpikeCandle", new { symbol = "GBPUSD", time = Day + 60 }, Admin)).AssertOk();
        (await c.CallAsync("DeleteChartCandle", new { symbol = "GBPUSD", candle = new[] { 1.2515m, 1.2530m, 1.2500m, 1.2525m, Day + 300, 5m } }, Admin)).AssertOk();
        Assert.Equal([[1.2500m, 1.2520m, 1.2490m, 1.2515m, 10m, Day]],
            Rows(await c.CallAsync("GetChartData", new { symbol = "GBPUSD", from = Day, to = Day + 3600, frame = "1H" }, Admin)));

        (await c.CallAsync("DeleteChartPeriod", new { symbol = "GBPUSD", from = Day, to = Day + 3600 }, Admin)).AssertOk();
        Assert.Empty(Rows(await c.CallAsync("GetChartData", new { symbol = "GBPUSD", from = Day, to = Day + 3600, frame = "1D" }, Admin)));
    }

    [Fact]
    public async Task Bad_requests_get_their_codes_and_change_nothing()
    {
        await using var c = await fixture.ConnectAsync();
        var trader = fixture.Issue(SessionType.User, RealServerFixture.HedgingLogin, "demo");
        async Task Expect(string command, object data, int status, string error, string? token = null)
        {
            var reply = await c.CallAsync(command, data, token ?? Admin);
            Assert.True(reply.Status() == status && reply.Error() == error, $"{command}: {reply.GetRawText()}");
        }

        await Expect("GetChartData", new { symbol = "EURUSD", from = Day, to = Day + 60, frame = "2M" }, 400, "INVALID_DATA");
        await Expect("GetChartData", new { symbol = "EURUSD", from = Day + 60, to = Day, frame = "1M" }, 400, "INVALID_DATA");
        await Expect("GetChartData", new { symbol = "EURUSD", from = 0, to = 4_000_000_000L, frame = "1M" }, 400, "INVALID_DATA");
        await Expect("GetChartData", new { symbol = "NOPE", from = Day, to = Day + 60, frame = "1M" }, 404, "RET_SYMBOL_NOT_FOUND");
        await Expect("ImportChartData", new { symbol = "EURUSD", flushData = 2, candles = new[] { new[] { 1m, 1m, 1m, 1m, 1m, Day } } }, 400, "INVALID_DATA");
        await Expect("ImportChartData", new { symbol = "EURUSD", flushData = 0, candles = new[] { new[] { 1m, 1m, 1m, 1m, 1m } } }, 400, "INVALID_DATA");
        // High below the close: the engine refuses the bar, nothing is stored.
        await Expect("ImportChartData", new { symbol = "EURUSD", flushData = 1, candles = new[] { new[] { 1m, 1.1m, 1m, 1.2m, 1m, Day } } }, 400, "RET_INVALID_DATA");
        await Expect("ImportChartData", new { symbol = "NOPE", flushData = 0, candles = new[] { new[] { 1m, 1m, 1m, 1m, 1m, Day } } }, 404, "RET_SYMBOL_NOT_FOUND");
        await Expect("ImportChartData", new { symbol = "EURUSD", flushData = 0, candles = new[] { new[] { 1m, 1m, 1m, 1m, 1m, Day } } }, 403, "RET_NOT_ENOUGH_RIGHTS", trader);
        await Expect("SyncChartData", new { index = 0, flushData = 0, sec_index = 0 }, 400, "CHART_SYNC_UNAVAILABLE");

        // The refused flushData 1 import above did not wipe EURUSD's live candles: the chart still has today's.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.NotEmpty(Rows(await c.CallAsync("GetChartData", new { symbol = "EURUSD", from = now - 86_400, to = now + 60, frame = "1D" }, Admin)));
    }

    /// <summary>The vendor clients' way (tests/node/chart-client.mjs): rows read by the positions "structure" names.</summary>
    [Fact]
    [Trait("Category", "Slow")] // a node process
    public async Task The_node_client_path_reads_the_candles()
    {
        const long from = Day + 10 * 86_400;
        await using var c = await fixture.ConnectAsync();
        (await c.CallAsync("ImportChartData", new
        {
            symbol = "EURUSD", flushData = 0,
            candles = new[] { new[] { 1.1m, 1.103m, 1.099m, 1.101m, 4m, from }, new[] { 1.101m, 1.102m, 1.1m, 1.1015m, 2m, from + 120 } },
        }, Admin)).AssertOk();

        var script = Path.Combine(AppContext.BaseDirectory, "node", "chart-client.mjs");
        var start = new ProcessStartInfo("node", [script, fixture.Port.ToString(CultureInfo.InvariantCulture), Admin, from.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node client failed: {await output} {await errors}");
        using var result = JsonDocument.Parse(await output);
        Assert.Equal("[1.1,1.103,1.099,1.101,4," + from + "]", result.RootElement.GetProperty("first").GetRawText());
    }
}
