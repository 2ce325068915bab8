using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>
/// Issue #15 (server configuration): UpdateConfig is an engine command — validated, journaled, in snapshots and the
/// state hash — and its rollover modes reopen positions at the rollover. EURUSD 1.10000/1.10002, one point on one
/// lot = 1.00 USD; the harness starts Monday 2026-11-16 10:00 UTC with the rollover at 00:00 UTC.
/// </summary>
public class ServerConfigScenarios
{
    private const long Hour = 3_600_000;
    private static readonly long Tuesday = EngineHarness.Monday10 + 14 * Hour;

    private static void Advance(EngineHarness h, long time)
    {
        h.Time = time;
        h.Ok(new AdvanceTime());
    }

    private static EngineHarness WithSwaps(RolloverMode mode)
    {
        var h = new EngineHarness();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with
        {
            SwapEnabled = true, SwapType = SwapType.Points, SwapLong = -5m, SwapShort = 1m,
        }));
        h.Tick("EURUSD", 1.10000m, 1.10002m);
        if (mode != RolloverMode.Normal) h.Ok(new UpdateServerConfig(new ServerConfig { Name = "Test", RolloversMode = mode }) { Actor = "admin:1" });
        return h;
    }

    [Fact]
    public void An_update_is_validated_emitted_and_changes_the_state_hash_only_when_it_changes_something()
    {
        var h = new EngineHarness();
        var before = h.Engine.StateHash();
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new UpdateServerConfig(new ServerConfig { Name = "" })));
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new UpdateServerConfig(new ServerConfig { RolloversMode = (RolloverMode)3 })));
        Assert.Equal(ReturnCode.InvalidData, h.Fails(new UpdateServerConfig(new ServerConfig { TimeZone = 15 })));
        Assert.Equal(before, h.Engine.StateHash());

        var cfg = new ServerConfig { Name = "Broker Live", Owner = "Broker Ltd", TimeZone = 2, FloodControl = 50, KeepTicks = 30, RolloversMode = RolloverMode.ByBid };
        Assert.Equal(cfg, h.Ok(new UpdateServerConfig(cfg)));
        Assert.Equal(cfg, Assert.Single(h.Events.OfType<ServerConfigEvent>()).Config);
        Assert.NotEqual(before, h.Engine.StateHash());
        Assert.Equal(ReturnCode.OkNone, h.Apply(new UpdateServerConfig(cfg)).Code);
    }

    [Fact]
    public void The_configuration_survives_snapshot_restore_and_journal_replay_with_the_same_hash()
    {
        var h = WithSwaps(RolloverMode.ByClose);
        var login = h.Account(10_000m);
        h.Buy(login, "EURUSD", 100);
        Advance(h, Tuesday + 1);

        Assert.Equal(RolloverMode.ByClose, h.AssertSnapshotRestoresTheHash().ServerConfig.RolloversMode);
        h.AssertReplayReproducesTheHash();
    }

    [Fact]
    public void Normal_mode_keeps_swap_on_the_position()
    {
        var h = WithSwaps(RolloverMode.Normal);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        Advance(h, Tuesday + 1);
        var t = h.Trade(buy.Ticket)!;
        Assert.Equal((1.10002m, -5.00m), (t.OpenPrice, t.Swap));
        Assert.Equal(10_000m, h.Margin(login).Balance);
    }

    [Fact]
    public void By_close_books_profit_and_swap_and_reopens_buys_and_sells_at_the_feed_bid()
    {
        var h = WithSwaps(RolloverMode.ByClose);
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);   // at ask 1.10002
        var sell = h.Sell(login, "EURUSD", 50);  // at bid 1.10000
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        Advance(h, Tuesday + 1);

        // Buy: (1.10100 − 1.10002) × 100 000 = +98.00, swap −5.00. Sell 0.5 lot: (1.10000 − 1.10100) × 50 000 = −50.00, swap +0.50.
        var b = h.Trade(buy.Ticket)!;
        var s = h.Trade(sell.Ticket)!;
        Assert.Equal((1.10100m, 0m), (b.OpenPrice, b.Swap));
        Assert.Equal((1.10100m, 0m), (s.OpenPrice, s.Swap));
        Assert.Equal(10_000m + 98.00m - 5.00m - 50.00m + 0.50m, h.Margin(login).Balance);
        var ledger = h.History.GetLedger(login, 0, long.MaxValue);
        Assert.Contains(ledger, l => l.Kind == LedgerKind.TradingResult && l.Amount == 98.00m && l.Comment == $"rollover #{buy.Ticket} profit");
        Assert.Contains(ledger, l => l.Kind == LedgerKind.Swap && l.Amount == -5.00m);
        Assert.Contains(ledger, l => l.Kind == LedgerKind.TradingResult && l.Amount == -50.00m);
        // The reopened sell is valued at the ask: it shows the 2-point spread as floating loss (0.5 lot × 2 × 1.00).
        Assert.Equal(-1.00m, h.Margin(login).Profit);
        h.AssertLedgerBalances();
        h.AssertMoneyInvariants();

        // The next rollover books one more night on the reopened positions only.
        Advance(h, Tuesday + 24 * Hour + 1);
        Assert.Equal(10_000m + 98.00m - 5.00m - 50.00m + 0.50m - 5.00m + 0.50m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void By_bid_reopens_at_the_bid_the_group_quotes()
    {
        var h = WithSwaps(RolloverMode.ByBid);
        // The group widens EURUSD by 10 points on the bid side (spread_diff): its bid is below the feed bid.
        var demo = h.Engine.GetGroups().Single(g => g.Name == "demo");
        h.Ok(new UpsertGroup(demo with { Securities = [new GroupSecurity { SecurityIndex = 0, SpreadDiff = 10 }] }));
        var login = h.Account(10_000m);
        var buy = h.Buy(login, "EURUSD", 100);
        var open = h.Trade(buy.Ticket)!.OpenPrice;
        h.Tick("EURUSD", 1.10100m, 1.10102m);
        var groupBid = h.Engine.GetQuote("EURUSD", "demo")!.Value.Bid;
        Assert.True(groupBid < 1.10100m);
        Advance(h, Tuesday + 1);

        var b = h.Trade(buy.Ticket)!;
        Assert.Equal(groupBid, b.OpenPrice);
        Assert.Equal(10_000m + (groupBid - open) * 100_000m - 5.00m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
        h.AssertMoneyInvariants();
    }
}
