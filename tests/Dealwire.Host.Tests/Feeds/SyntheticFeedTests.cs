using Dealwire.Feeds;
using Dealwire.Feeds.Synthetic;

namespace Dealwire.Host.Tests.Feeds;

public class SyntheticFeedTests
{
    private static List<RawTick> Walk(int? seed, int rounds, IReadOnlyList<SyntheticInstrument>? instruments = null)
    {
        var walk = new RandomWalk(instruments ?? SyntheticInstrument.Demo, seed, meanReversion: 0.001);
        var ticks = new List<RawTick>();
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < walk.Count; i++) ticks.Add(walk.Next(i, r));
        }
        return ticks;
    }

    [Fact]
    public void The_same_seed_gives_the_same_prices_and_another_seed_does_not()
    {
        Assert.Equal(Walk(42, 500), Walk(42, 500));
        Assert.NotEqual(Walk(42, 500), Walk(43, 500));
    }

    [Fact]
    public void Every_demo_instrument_ticks_with_its_own_spread_on_its_own_point_grid()
    {
        var ticks = Walk(7, 2_000);
        foreach (var instrument in SyntheticInstrument.Demo)
        {
            var scale = (decimal)Math.Pow(10, instrument.Digits);
            var own = ticks.Where(t => t.Symbol == instrument.Symbol).ToList();
            Assert.Equal(2_000, own.Count);
            foreach (var tick in own)
            {
                Assert.True(tick.Bid > 0, $"{tick}");
                var spreadPoints = (tick.Ask - tick.Bid) * scale;
                Assert.InRange(spreadPoints, instrument.MinSpreadPoints, instrument.MaxSpreadPoints);
                Assert.Equal(decimal.Truncate(tick.Bid * scale), tick.Bid * scale);
                Assert.Equal(decimal.Truncate(tick.Ask * scale), tick.Ask * scale);
            }
        }
    }

    [Fact]
    public void Mean_reversion_keeps_a_long_walk_near_its_start()
    {
        var ticks = Walk(11, 100_000, [SyntheticInstrument.Demo[0]]);
        // EURUSD: 3-point steps with 0.1 % pull per tick settle within about ±70 points (one sigma);
        // 1 000 points (0.01) is far beyond anything a seeded walk should reach.
        Assert.All(ticks, t => Assert.InRange(t.Bid, 1.075m, 1.095m));
    }

    [Fact]
    public void A_walk_cannot_reach_zero_even_with_huge_volatility()
    {
        var wild = new SyntheticInstrument { Symbol = "WILD", Price = 1.00m, Digits = 2, MinSpreadPoints = 1, MaxSpreadPoints = 2, VolatilityPoints = 500 };
        Assert.All(Walk(3, 5_000, [wild]), t => Assert.True(t.Bid > 0 && t.Ask > t.Bid, $"{t}"));
    }

    [Theory]
    [InlineData("", 1.0, 5, 1, 2, 1.0, "needs a Symbol")]
    [InlineData("X", 0.0, 5, 1, 2, 1.0, "Price must be positive")]
    [InlineData("X", 1.0, 11, 1, 2, 1.0, "Digits")]
    [InlineData("X", 1.0, 5, 3, 2, 1.0, "spreads")]
    [InlineData("X", 1.0, 5, 1, 2, -1.0, "VolatilityPoints")]
    public void Invalid_instruments_are_refused_with_the_reason(string symbol, double price, int digits, int min, int max, double vol, string reason)
    {
        var instrument = new SyntheticInstrument
        {
            Symbol = symbol, Price = (decimal)price, Digits = digits, MinSpreadPoints = min, MaxSpreadPoints = max, VolatilityPoints = vol,
        };
        var error = Assert.Throws<ArgumentException>(() => new RandomWalk([instrument], 1, 0.001));
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_a_positive_number_is_refused(double rate)
    {
        var options = new SyntheticFeedOptions { TicksPerSecondPerSymbol = rate };
        Assert.Throws<ArgumentException>(() => new SyntheticFeed(options, new RecordingTarget(), TimeProvider.System));
    }

    [Fact]
    public void Without_instruments_the_feed_prices_the_demo_symbols()
    {
        var feed = new SyntheticFeed(new SyntheticFeedOptions(), new RecordingTarget(), TimeProvider.System);
        Assert.Equal(["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US500", "BTCUSD"], feed.Instruments.Select(i => i.Symbol));
    }

    [Fact]
    public async Task A_running_feed_ticks_every_symbol_with_non_decreasing_times_and_stops_when_asked()
    {
        var target = new RecordingTarget();
        await using var feed = new SyntheticFeed(new SyntheticFeedOptions { TicksPerSecondPerSymbol = 200, Seed = 5 }, target, TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        await target.WaitForAsync(6 * 20, TimeSpan.FromSeconds(20));
        await feed.StopAsync(CancellationToken.None);
        var stoppedAt = target.Count;
        await Task.Delay(100);

        Assert.Equal(stoppedAt, target.Count);
        Assert.Null(feed.Fault);
        Assert.Equal(stoppedAt, feed.TicksOffered);
        foreach (var bySymbol in target.Ticks.GroupBy(t => t.Symbol))
        {
            var times = bySymbol.Select(t => t.Time).ToList();
            Assert.Equal(times.Order(), times);
        }
        Assert.Equal(6, target.Ticks.Select(t => t.Symbol).Distinct().Count());
    }

    [Fact]
    public async Task Refused_ticks_are_counted()
    {
        var target = new RecordingTarget(accept: false);
        await using var feed = new SyntheticFeed(new SyntheticFeedOptions { TicksPerSecondPerSymbol = 100, Seed = 1 }, target, TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        await target.WaitForAsync(12, TimeSpan.FromSeconds(20));
        await feed.StopAsync(CancellationToken.None);
        Assert.Equal(feed.TicksOffered, feed.TicksRefused);
    }

    [Fact]
    public async Task A_feed_starts_only_once()
    {
        await using var feed = new SyntheticFeed(new SyntheticFeedOptions(), new RecordingTarget(), TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => feed.StartAsync(CancellationToken.None));
    }
}
