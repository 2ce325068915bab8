using Dealwire.Feeds.Sources;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.Host.Tests.Feeds;

/// <summary>Which source's ticks reach the engine, per symbol, as sources fall silent and come back.</summary>
public sealed class SourceArbiterTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_733_300_000_000));
    private readonly FeedSource _primary = new("lp-a", 0);
    private readonly FeedSource _backup = new("lp-b", 1);
    private readonly SourceArbiter _arbiter;

    public SourceArbiterTests()
    {
        _arbiter = new SourceArbiter(TimeSpan.FromSeconds(5), _clock);
        _primary.SessionStarted();
        _backup.SessionStarted();
    }

    private void Advance(double seconds) => _clock.Advance(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void The_backup_stands_by_while_the_primary_is_fresh_and_takes_over_once_it_is_stale_then_hands_back()
    {
        Assert.Equal(ArbiterVerdict.Active, _arbiter.Arbitrate(_primary, "EURUSD"));
        Advance(4.9);
        Assert.Equal(ArbiterVerdict.Standby, _arbiter.Arbitrate(_backup, "EURUSD"));
        Advance(0.2); // 5.1 s since the primary's last EURUSD tick
        Assert.Equal(ArbiterVerdict.Active, _arbiter.Arbitrate(_backup, "EURUSD"));
        Assert.Same(_backup, _arbiter.ActiveFor("EURUSD"));
        // The primary ticks again: preferred, so it takes the symbol back at once.
        Advance(1);
        Assert.Equal(ArbiterVerdict.Active, _arbiter.Arbitrate(_primary, "EURUSD"));
        Assert.Equal(ArbiterVerdict.Standby, _arbiter.Arbitrate(_backup, "EURUSD"));
        Assert.Equal((2L, 2L), (_arbiter.Switches, _backup.Standby));
    }

    [Fact]
    public void A_disconnected_primary_loses_the_symbol_at_the_backups_next_tick()
    {
        _arbiter.Arbitrate(_primary, "EURUSD");
        _primary.SessionEnded();
        Assert.Equal(ArbiterVerdict.Active, _arbiter.Arbitrate(_backup, "EURUSD"));
    }

    [Fact]
    public void Staleness_is_per_symbol()
    {
        _arbiter.Arbitrate(_primary, "EURUSD");
        _arbiter.Arbitrate(_backup, "GBPUSD"); // only the backup prices GBPUSD
        Advance(6);
        _arbiter.Arbitrate(_primary, "EURUSD");
        Assert.Equal(ArbiterVerdict.Standby, _arbiter.Arbitrate(_backup, "EURUSD"));
        Assert.Equal(ArbiterVerdict.Active, _arbiter.Arbitrate(_backup, "GBPUSD"));
    }
}
