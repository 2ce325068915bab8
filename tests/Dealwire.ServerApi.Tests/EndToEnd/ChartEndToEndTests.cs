using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// A real server fed a known tape (recorded times kept, played once, quote filter off) so every candle is known to
/// the point: GetChartData over the socket in every frame, older spellings, the error codes and the Node client path.
/// </summary>
public sealed class ChartEndToEndTests(ChartEndToEndTests.ChartServer fixture) : IClassFixture<ChartEndToEndTests.ChartServer>
{
    /// <summary>Monday 2 March 2026, 00:00 UTC: the tape's origin (Unix seconds).</summary>
    public static readonly long Base = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private const long Day = 86_400;

    /// <summary>EURUSD bids at seconds after <see cref="Base"/>; asks are one pip above.</summary>
    public static readonly (long At, string Bid)[] Tape =
    [
        (0, "1.10000"), (20, "1.10300"), (40, "1.09900"), (59, "1.10100"), // minute 0
        (120, "1.10200"),                                                   // minute 2 (minute 1 has no tick)
        (3 * 3600, "1.10500"),                                              // 03:00
        (Day + 3600, "1.09500"),                                            // Tuesday
        (7 * Day + 1800, "1.11000"),                                        // next Monday
        (31 * Day, "1.12000"),                                              // 2 April (week of 30 March)
    ];

    private string Admin => fixture.Server.AdminToken;

    private async Task<decimal[][]> CandlesAsync(string frame, long from, long to)
    {
        await using var c = await LineClient.ConnectAsync(fixture.Server.ServerApiPort);
        var reply = await c.CallAsync("GetChartData", new { symbol = "EURUSD", from, to, frame }, Admin);
        reply.AssertOk();
        Assert.Equal("""["open","high","low","close","volume","time"]""", reply.Data().GetProperty("structure").GetRawText());
        return reply.Data().GetProperty("data").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDecimal()).ToArray()).ToArray();
    }

    private static decimal[] K(string o, string h, string l, string c, long volume, long time) =>
        [decimal.Parse(o, CultureInfo.InvariantCulture), decimal.Parse(h, CultureInfo.InvariantCulture),
         decimal.Parse(l, CultureInfo.InvariantCulture), decimal.Parse(c, CultureInfo.InvariantCulture), volume, time];

    private static void Same(decimal[][] expected, decimal[][] actual) =>
        Assert.Equal(expected.Select(r => string.Join(",", r.Select(v => v.ToString("0.#####", CultureInfo.InvariantCulture)))),
            actual.Select(r => string.Join(",", r.Select(v => v.ToString("0.#####", CultureInfo.InvariantCulture)))));

    [Fact]
    public async Task Every_frame_holds_the_candles_of_the_known_ticks_to_the_point()
    {
        var end = Base + 40 * Day;
        Same([K("1.10000", "1.10300", "1.09900", "1.10100", 4, Base), K("1.10200", "1.10200", "1.10200", "1.10200", 1, Base + 120)],
            await CandlesAsync("1M", Base, Base + 3600));
        Same([K("1.10000", "1.10300", "1.09900", "1.10200", 5, Base)], await CandlesAsync("5M", Base, Base + 3599));
        Same([K("1.10000", "1.10300", "1.09900", "1.10200", 5, Base)], await CandlesAsync("15M", Base, Base + 3599));
        Same([K("1.10000", "1.10300", "1.09900", "1.10200", 5, Base)], await CandlesAsync("30M", Base, Base + 3599));
        var hours = new[] { K("1.10000", "1.10300", "1.09900", "1.10200", 5, Base), K("1.10500", "1.10500", "1.10500", "1.10500", 1, Base + 3 * 3600) };
        Same(hours, await CandlesAsync("1H", Base, Base + Day - 1));
        Same([K("1.10000", "1.10500", "1.09900", "1.10500", 6, Base)], await CandlesAsync("4H", Base, Base + Day - 1));
        Same(
            [
                K("1.10000", "1.10500", "1.09900", "1.10500", 6, Base), K("1.09500", "1.09500", "1.09500", "1.09500", 1, Base + Day),
                K("1.11000", "1.11000", "1.11000", "1.11000", 1, Base + 7 * Day), K("1.12000", "1.12000", "1.12000", "1.12000", 1, Base + 31 * Day),
            ],
            await CandlesAsync("1D", Base, end));
        Same(
            [
                K("1.10000", "1.10500", "1.09500", "1.09500", 7, Base), K("1.11000", "1.11000", "1.11000", "1.11000", 1, Base + 7 * Day),
                K("1.12000", "1.12000", "1.12000", "1.12000", 1, Base + 28 * Day),
            ],
            await CandlesAsync("1W", Base, end));
        Same([K("1.10000", "1.11000", "1.09500", "1.11000", 8, Base - Day), K("1.12000", "1.12000", "1.12000", "1.12000", 1, Base + 30 * Day)],
            await CandlesAsync("1MN", Base - Day, end));
    }

    [Fact]
    public async Task The_older_spellings_name_the_same_frames()
    {
        Same(await CandlesAsync("1M", Base, Base + 3600), await CandlesAsync("M1", Base, Base + 3600));
        Same(await CandlesAsync("1H", Base, Base + Day), await CandlesAsync("H1", Base, Base + Day));
        Same(await CandlesAsync("1D", Base, Base + 40 * Day), await CandlesAsync("D1", Base, Base + 40 * Day));
        Assert.Empty(await CandlesAsync("1M", Base + 60, Base + 119)); // a minute without a tick has no candle
    }

    [Fact]
    public async Task The_reply_line_has_the_documented_layout_byte_for_byte()
    {
        await using var c = await LineClient.ConnectAsync(fixture.Server.ServerApiPort);
        await c.SendAsync(Wire.Request("GetChartData", new { symbol = "EURUSD", from = Base, to = Base + 60, frame = "1M" }, Admin, "chart1"));
        await c.ReplyAsync("chart1");
        var line = Encoding.UTF8.GetString(c.LastRawLine);
        var expected = $"{{\"extID\":\"chart1\",\"status\":200,\"data\":{{\"structure\":[\"open\",\"high\",\"low\",\"close\",\"volume\",\"time\"],\"data\":[[";
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.EndsWith($",4,{Base}]]}}}}\r\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_get_stable_error_codes()
    {
        await using var c = await LineClient.ConnectAsync(fixture.Server.ServerApiPort);
        (await c.CallAsync("GetChartData", new { symbol = "EURUSD", from = Base, to = Base + 60, frame = "2M" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("GetChartData", new { symbol = "EURUSD", from = Base + 60, to = Base, frame = "1M" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("GetChartData", new { from = Base, to = Base + 60, frame = "1M" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("GetChartData", new { symbol = "EURUSD", from = 0, to = Base, frame = "1M" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("GetChartData", new { symbol = "NOPE", from = Base, to = Base + 60, frame = "1M" }, Admin)).AssertError(404, "RET_SYMBOL_NOT_FOUND");
        // Prices are public: a user session reads charts too.
        var user = fixture.Server.IssueToken(Security.SessionType.User, 1000);
        (await c.CallAsync("GetChartData", new { symbol = "EURUSD", from = Base, to = Base + 60 }, user)).AssertOk();
    }

    [Fact]
    public async Task The_node_client_path_reads_the_candles()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "node", "chart-client.mjs");
        Assert.True(File.Exists(script), script);
        var start = new ProcessStartInfo("node",
        [
            script, fixture.Server.ServerApiPort.ToString(CultureInfo.InvariantCulture), Admin, Base.ToString(CultureInfo.InvariantCulture),
        ])
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
        Assert.Equal("[1.1,1.103,1.099,1.101,4," + Base + "]", result.RootElement.GetProperty("first").GetRawText());
    }

    /// <summary>The server playing <see cref="Tape"/> once at its recorded times.</summary>
    public sealed class ChartServer : IAsyncLifetime
    {
        public DealwireProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var options = new DealwireProcessOptions();
            options.Environment["DEALWIRE__Feed__Kind"] = "Replay";
            options.Environment["DEALWIRE__Feed__ReplayLoop"] = "false";
            options.Environment["DEALWIRE__Feed__ReplaySpeed"] = "0";
            options.Environment["DEALWIRE__Feed__ReplayRebaseTime"] = "false";
            options.Environment["DEALWIRE__Feed__Filter__Enabled"] = "false";
            options.BeforeFirstStart = async server =>
            {
                var file = Path.Combine(server.RootDir, "chart-tape.csv");
                var lines = Tape.Select(t => $"EURUSD,{t.Bid},{decimal.Parse(t.Bid, CultureInfo.InvariantCulture) + 0.0001m},{(Base + t.At) * 1000}");
                await File.WriteAllTextAsync(file, "symbol,bid,ask,time_ms\n" + string.Join('\n', lines) + "\n");
                options.Environment["DEALWIRE__Feed__ReplayFile"] = file;
            };
            Server = await DealwireProcess.StartAsync(options);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while ((await Server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64() < Tape.Length)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the chart tape did not reach the engine:\n" + Server.CapturedOutput);
                await Task.Delay(50);
            }
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
