using Dealwire.Feeds;
using Dealwire.Feeds.Replay;

namespace Dealwire.Host.Tests.Feeds;

public class ReplayFeedTests
{
    private const string Recording = """
        symbol,bid,ask,time_ms
        # a comment
        EURUSD,1.08500,1.08510,1700000000000

        GBPUSD,1.27000,1.27012,1700000000100
        EURUSD,1.08501,1.08511,1700000000200
        """;

    [Fact]
    public void Parses_ticks_skipping_header_comments_and_blank_lines()
    {
        var tape = ReplayTape.Parse(new StringReader(Recording));
        Assert.Empty(tape.SkippedLines);
        Assert.Equal(
            [
                new RawTick("EURUSD", 1.08500m, 1.08510m, 1_700_000_000_000),
                new RawTick("GBPUSD", 1.27000m, 1.27012m, 1_700_000_000_100),
                new RawTick("EURUSD", 1.08501m, 1.08511m, 1_700_000_000_200),
            ],
            tape.Ticks);
    }

    [Fact]
    public void Bad_lines_are_skipped_with_their_line_number_and_reason()
    {
        var tape = ReplayTape.Parse(new StringReader("""
            EURUSD,1.1,1.2,1000
            EURUSD,1.1,1.2
            EURUSD,abc,1.2,1000
            EURUSD,1.1,1.2,-5
            ,1.1,1.2,1000
            EURUSD,1e3,1.2,1000
            EURUSD,-1.1,1.2,2000
            """));
        Assert.Equal(2, tape.Ticks.Count);
        Assert.Equal(-1.1m, tape.Ticks[1].Bid);
        Assert.Collection(tape.SkippedLines,
            l => Assert.Equal("line 2: expected 4 fields (symbol,bid,ask,time_ms), found 3", l),
            l => Assert.Equal("line 3: bid and ask must be plain decimal numbers", l),
            l => Assert.Equal("line 4: time_ms must be a non-negative integer (Unix milliseconds)", l),
            l => Assert.Equal("line 5: empty symbol", l),
            l => Assert.Equal("line 6: bid and ask must be plain decimal numbers", l));
    }

    [Fact]
    public void Loads_a_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Recording);
            Assert.Equal(3, ReplayTape.Load(path).Ticks.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Plays_once_in_order_with_times_rebased_to_now_keeping_the_gaps()
    {
        var target = new RecordingTarget();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var feed = new ReplayFeed(ReplayTape.Parse(new StringReader(Recording)),
            new ReplayFeedOptions { ReplaySpeed = 10, ReplayLoop = false }, target, TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        await target.WaitForAsync(3, TimeSpan.FromSeconds(20));
        await feed.StopAsync(CancellationToken.None);

        var ticks = target.Ticks;
        Assert.Equal(["EURUSD", "GBPUSD", "EURUSD"], ticks.Select(t => t.Symbol));
        Assert.Equal([1.08500m, 1.27000m, 1.08501m], ticks.Select(t => t.Bid));
        Assert.True(ticks[0].Time >= before, "rebased to the wall clock");
        // 100 ms recorded gaps at speed 10 are 10 ms apart.
        Assert.Equal(10, ticks[1].Time - ticks[0].Time);
        Assert.Equal(10, ticks[2].Time - ticks[1].Time);
        Assert.Equal(1, feed.Passes);
        Assert.Null(feed.Fault);
    }

    [Fact]
    public async Task Keeps_recorded_times_when_not_rebasing()
    {
        var target = new RecordingTarget();
        await using var feed = new ReplayFeed(ReplayTape.Parse(new StringReader(Recording)),
            new ReplayFeedOptions { ReplaySpeed = 0, ReplayLoop = false, ReplayRebaseTime = false }, target, TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        await target.WaitForAsync(3, TimeSpan.FromSeconds(20));
        Assert.Equal([1_700_000_000_000, 1_700_000_000_100, 1_700_000_000_200], target.Ticks.Select(t => t.Time));
    }

    [Fact]
    public async Task Loops_without_going_back_in_time()
    {
        var target = new RecordingTarget();
        await using var feed = new ReplayFeed(ReplayTape.Parse(new StringReader(Recording)),
            new ReplayFeedOptions { ReplaySpeed = 0, ReplayLoop = true }, target, TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        await target.WaitForAsync(30, TimeSpan.FromSeconds(20));
        await feed.StopAsync(CancellationToken.None);

        var times = target.Ticks.Select(t => t.Time).ToList();
        Assert.Equal(times.Order(), times);
        Assert.True(feed.Passes >= 10);
        Assert.Null(feed.Fault);
    }

    [Fact]
    public async Task As_fast_as_possible_waits_while_the_quote_readers_are_behind()
    {
        var target = new RecordingTarget();
        var behind = true;
        var asked = 0;
        await using var feed = new ReplayFeed(ReplayTape.Parse(new StringReader(Recording)),
            new ReplayFeedOptions { ReplaySpeed = 0, ReplayLoop = false }, target, TimeProvider.System,
            () =>
            {
                Interlocked.Increment(ref asked);
                return Volatile.Read(ref behind);
            });
        await feed.StartAsync(CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref asked) < 5 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10);
        // It kept asking (about once a millisecond) and offered nothing meanwhile.
        Assert.True(Volatile.Read(ref asked) >= 5);
        Assert.Empty(target.Ticks);

        Volatile.Write(ref behind, false);
        await target.WaitForAsync(3, TimeSpan.FromSeconds(20));
        Assert.Equal(3, target.Ticks.Count);
        Assert.Null(feed.Fault);
    }

    [Fact]
    public async Task A_replay_at_its_recorded_pace_never_asks_the_readers()
    {
        var target = new RecordingTarget();
        var asked = 0;
        await using var feed = new ReplayFeed(ReplayTape.Parse(new StringReader(Recording)),
            new ReplayFeedOptions { ReplaySpeed = 10, ReplayLoop = false }, target, TimeProvider.System,
            () =>
            {
                Interlocked.Increment(ref asked);
                return true;
            });
        await feed.StartAsync(CancellationToken.None);
        await target.WaitForAsync(3, TimeSpan.FromSeconds(20));
        Assert.Equal(0, Volatile.Read(ref asked));
    }

    [Fact]
    public void An_empty_tape_or_a_negative_speed_is_refused()
    {
        var empty = ReplayTape.Parse(new StringReader("symbol,bid,ask,time_ms\n"));
        Assert.Throws<ArgumentException>(() => new ReplayFeed(empty, new ReplayFeedOptions(), new RecordingTarget(), TimeProvider.System));
        var tape = ReplayTape.Parse(new StringReader(Recording));
        Assert.Throws<ArgumentException>(() => new ReplayFeed(tape, new ReplayFeedOptions { ReplaySpeed = -1 }, new RecordingTarget(), TimeProvider.System));
    }
}
