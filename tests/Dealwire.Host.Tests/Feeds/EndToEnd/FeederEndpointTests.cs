using System.Globalization;
using System.Text;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Feeds.EndToEnd;

/// <summary>The feeder endpoint of the real process: keys, bad lines, allowed symbols, and a sustained stream with nothing lost.</summary>
[Trait("Category", "Slow")] // a server process of its own per test
public sealed class FeederEndpointTests : IAsyncLifetime
{
    private DealwireProcess _server = null!;
    private string _allKey = "";
    private string _eurOnlyKey = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__Feed__Kind"] = "None";
        options.BeforeFirstStart = async server =>
        {
            // One key through the command line, as an operator issues it.
            var cli = await DealwireCli.RunAsync("key", "issue", "--feeder", "desk", "--data-dir", server.DataDir);
            Assert.True(cli.ExitCode == 0, cli.ToString());
            _allKey = cli.StandardOutput.Trim();
            _eurOnlyKey = FeedWire.IssueFeederKey(server, "eur-desk", "EURUSD");
        };
        _server = await DealwireProcess.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_bad_key_is_answered_with_bad_key_and_the_connection_is_closed()
    {
        await using var line = await LineClient.ConnectAsync(_server.FeederPort);
        await line.SendAsync("dwf_not-a-key");
        var error = JsonDocument.Parse(await line.ReadLineAsync()).RootElement;
        Assert.Equal("bad_key", error.GetProperty("error").GetString());
        Assert.Equal(1, error.GetProperty("line").GetInt32());
        Assert.True(await line.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Bad_lines_get_an_error_line_each_and_the_connection_stays()
    {
        await using var feeder = await FeederClient.ConnectAsync(_server, _allKey);
        await feeder.Line.SendAsync("{not json");
        await feeder.Line.SendAsync("""{"symbol":"EURUSD","bid":1.1}""");
        await feeder.Line.SendRawAsync(Encoding.UTF8.GetBytes(new string('x', 5000) + "\n"));
        var errors = new[] { await feeder.Line.ReadLineAsync(), await feeder.Line.ReadLineAsync(), await feeder.Line.ReadLineAsync() }
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["bad_json", "bad_tick", "line_too_long"], errors.Select(e => e.GetProperty("error").GetString()));
        Assert.Equal([2, 3, 4], errors.Select(e => e.GetProperty("line").GetInt32()));
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));

        await feeder.TickAsync("EURUSD", 1.10001m, 1.10011m);
        await feeder.BarrierAsync();
        Assert.True((await FeedWire.SourceHealthAsync(_server, "desk")).GetProperty("accepted").GetInt64() >= 1);
    }

    [Fact]
    public async Task An_over_long_line_reported_before_its_end_arrives_keeps_its_line_number_and_the_next_line_its_own()
    {
        await using var feeder = await FeederClient.ConnectAsync(_server, _allKey);
        // Over MaxLineBytes (4 096) with no end yet: reported at once, the rest skipped when it comes.
        await feeder.Line.SendRawAsync(Encoding.UTF8.GetBytes(new string('x', 4500)));
        var tooLong = JsonDocument.Parse(await feeder.Line.ReadLineAsync()).RootElement;
        await feeder.Line.SendRawAsync(Encoding.UTF8.GetBytes(new string('x', 500) + "\n"));
        await feeder.Line.SendAsync("{not json");
        var next = JsonDocument.Parse(await feeder.Line.ReadLineAsync()).RootElement;

        Assert.Equal(("line_too_long", 2), (tooLong.GetProperty("error").GetString(), tooLong.GetProperty("line").GetInt32()));
        Assert.Equal(("bad_json", 3), (next.GetProperty("error").GetString(), next.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task A_feeder_may_push_only_the_symbols_its_key_allows()
    {
        await using var feeder = await FeederClient.ConnectAsync(_server, _eurOnlyKey);
        await feeder.TickAsync("GBPUSD", 1.25m, 1.2502m);
        var error = JsonDocument.Parse(await feeder.Line.ReadLineAsync()).RootElement;
        Assert.Equal("symbol_not_allowed", error.GetProperty("error").GetString());
        await feeder.TickAsync("EURUSD", 1.1m, 1.1002m);
        await feeder.BarrierAsync();
        var health = await FeedWire.SourceHealthAsync(_server, "eur-desk");
        Assert.Equal((1L, true), (health.GetProperty("accepted").GetInt64(), health.GetProperty("connected").GetBoolean()));
    }

    [Fact]
    public async Task Ten_thousand_ticks_a_second_from_one_feeder_all_reach_the_engine()
    {
        const int PerSecond = 10_000, Seconds = 3;
        var before = (await _server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64();
        await using var feeder = await FeederClient.ConnectAsync(_server, _allKey);
        var started = DateTime.UtcNow;
        for (var second = 0; second < Seconds; second++)
        {
            // One second's ticks in 10 batches of 1 000, each batch written in one send; the pace is kept per batch.
            for (var batch = 0; batch < 10; batch++)
            {
                var text = new StringBuilder();
                for (var i = 0; i < PerSecond / 10; i++)
                {
                    var n = (second * PerSecond) + (batch * PerSecond / 10) + i;
                    var bid = 1.1m + (n % 100) * 0.00001m;
                    text.Append(CultureInfo.InvariantCulture, $$"""{"symbol":"EURUSD","bid":{{bid}},"ask":{{bid + 0.0001m}}}""").Append('\n');
                }
                await feeder.Line.SendRawAsync(Encoding.UTF8.GetBytes(text.ToString()));
                var due = started.AddMilliseconds((second * 1000) + ((batch + 1) * 100));
                if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow);
            }
        }
        await feeder.BarrierAsync();

        var health = await FeedWire.SourceHealthAsync(_server, "desk");
        Assert.Equal(0, health.GetProperty("filtered").GetInt64());
        Assert.True(health.GetProperty("accepted").GetInt64() >= PerSecond * Seconds, health.GetRawText());
        // Queued is not yet applied: wait for the engine to count them all, and none dropped.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement engine;
        do
        {
            engine = await _server.GetHealthAsync();
            if (engine.GetProperty("ticksProcessed").GetInt64() - before >= PerSecond * Seconds) break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.True(engine.GetProperty("ticksProcessed").GetInt64() - before >= PerSecond * Seconds, engine.GetRawText());
        Assert.Equal(0, engine.GetProperty("ticksDropped").GetInt64());
    }
}
