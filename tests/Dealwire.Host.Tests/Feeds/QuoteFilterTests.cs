using Dealwire.Feeds;
using Dealwire.Feeds.Filtering;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.Host.Tests.Feeds;

public class QuoteFilterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private readonly FakeTimeProvider _clock = new(Now);

    private QuoteFilter Filter(Action<QuoteFilterOptions>? configure = null)
    {
        var options = new QuoteFilterOptions { MaxJumpPercent = 1m, ConfirmTicks = 3, MaxQuoteAgeMs = 5_000 };
        configure?.Invoke(options);
        return new QuoteFilter(options, _clock);
    }

    private RawTick Tick(decimal bid, decimal ask, long ageMs = 0, string symbol = "EURUSD") => new(symbol, bid, ask, _clock.GetUtcNow().ToUnixTimeMilliseconds() - ageMs);

    [Fact]
    public void Accepts_a_normal_quote_and_counts_it()
    {
        var filter = Filter();
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.08500m, 1.08510m)));
        Assert.Equal(new QuoteFilterCounters(1, 0, 0, 0, 0), filter.Counters);
    }

    [Theory]
    [InlineData(0, 1.1)]
    [InlineData(1.1, 0)]
    [InlineData(-1.1, 1.1)]
    public void Rejects_non_positive_prices(decimal bid, decimal ask)
    {
        var filter = Filter();
        Assert.Equal(QuoteVerdict.NonPositive, filter.Check(Tick(bid, ask)));
        Assert.Equal(1, filter.Counters.NonPositive);
    }

    [Fact]
    public void Rejects_a_crossed_quote_but_accepts_a_locked_one()
    {
        var filter = Filter();
        Assert.Equal(QuoteVerdict.Crossed, filter.Check(Tick(1.08520m, 1.08510m)));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.08510m, 1.08510m)));
        Assert.Equal(1, filter.Counters.Crossed);
    }

    [Fact]
    public void Rejects_a_quote_older_than_the_maximum_age()
    {
        var filter = Filter();
        Assert.Equal(QuoteVerdict.Stale, filter.Check(Tick(1.085m, 1.086m, ageMs: 5_001)));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.085m, 1.086m, ageMs: 5_000)));
        Assert.Equal(1, filter.Counters.Stale);
    }

    [Fact]
    public void A_zero_maximum_age_disables_the_age_check()
    {
        var filter = Filter(o => o.MaxQuoteAgeMs = 0);
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.085m, 1.086m, ageMs: 86_400_000)));
    }

    [Fact]
    public void Rejects_a_quote_older_than_the_last_accepted_one_of_its_symbol()
    {
        var filter = Filter();
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.085m, 1.086m, ageMs: 100)));
        Assert.Equal(QuoteVerdict.Stale, filter.Check(Tick(1.085m, 1.086m, ageMs: 101)));
        // Another symbol has its own timeline.
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(150.1m, 150.2m, ageMs: 101, symbol: "USDJPY")));
    }

    [Fact]
    public void A_single_spike_is_rejected_and_the_market_continues()
    {
        var filter = Filter();
        filter.Check(Tick(1.0000m, 1.0002m));
        // Mid 1.0001 -> 1.0201 is a 2 % jump, above the 1 % limit.
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(1.0200m, 1.0202m)));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.0001m, 1.0003m)));
        Assert.Equal(1, filter.Counters.Spike);
    }

    [Fact]
    public void A_jump_confirmed_by_consecutive_ticks_becomes_the_new_level_on_the_kth_tick()
    {
        var filter = Filter();
        filter.Check(Tick(1.0000m, 1.0002m));
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(1.0200m, 1.0202m)));
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(1.0201m, 1.0203m)));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.0202m, 1.0204m)));
        // The new level is now the reference: the old one would be a jump back.
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(1.0203m, 1.0205m)));
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(1.0000m, 1.0002m)));
    }

    [Fact]
    public void Suspects_that_disagree_with_each_other_restart_the_confirmation()
    {
        var filter = Filter();
        filter.Check(Tick(1.0000m, 1.0002m));
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(1.0200m, 1.0202m)));
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(1.0200m, 1.0202m)));
        // 3 % away from the previous suspect: counting starts again.
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(0.9700m, 0.9702m)));
        Assert.Equal(QuoteVerdict.Spike, filter.Check(Tick(0.9700m, 0.9702m)));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(0.9700m, 0.9702m)));
    }

    [Fact]
    public void One_confirm_tick_disables_the_spike_filter()
    {
        var filter = Filter(o => o.ConfirmTicks = 1);
        filter.Check(Tick(1.0000m, 1.0002m));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(2.0000m, 2.0002m)));
    }

    [Fact]
    public void A_disabled_filter_lets_everything_through()
    {
        var filter = Filter(o => o.Enabled = false);
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(2m, 1m)));
        Assert.Equal(QuoteVerdict.Accepted, filter.Check(Tick(0m, 0m, ageMs: 1_000_000)));
        Assert.Equal(2, filter.Counters.Accepted);
    }

    [Fact]
    public void Counters_add_up_by_reason()
    {
        var filter = Filter();
        filter.Check(Tick(1.0m, 1.1m));
        filter.Check(Tick(0m, 1.1m));
        filter.Check(Tick(1.2m, 1.1m));
        filter.Check(Tick(1.0m, 1.1m, ageMs: 10_000));
        filter.Check(Tick(5.0m, 5.1m));
        var counters = filter.Counters;
        Assert.Equal(new QuoteFilterCounters(Accepted: 1, NonPositive: 1, Crossed: 1, Stale: 1, Spike: 1), counters);
        Assert.Equal(4, counters.Rejected);
    }

    [Fact]
    public void Concurrent_feeds_are_counted_exactly()
    {
        var filter = Filter(o => o.MaxQuoteAgeMs = 0);
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 10_000; i++) filter.Check(new RawTick($"S{worker % 3}", 1.0m, 1.0001m, i));
        });
        Assert.Equal(80_000, filter.Counters.Accepted + filter.Counters.Stale);
    }
}
