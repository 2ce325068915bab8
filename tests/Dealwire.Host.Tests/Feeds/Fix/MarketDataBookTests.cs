using Dealwire.Feeds;
using Dealwire.Feeds.Fix;

namespace Dealwire.Host.Tests.Feeds.Fix;

public sealed class MarketDataBookTests
{
    private readonly MarketDataBook _book = new(new Dictionary<string, string> { ["EUR/USD"] = "EURUSD", ["GBP/USD"] = "GBPUSD" });
    private readonly List<RawTick> _ticks = [];

    private void Apply(FixMessage message) => _book.Apply(message, 1000, _ticks.Add);

    private static FixMessage Snapshot(string symbol, string bid, string ask) => new FixMessage("W").Add(FixTags.Symbol, symbol).Add(FixTags.NoMdEntries, 2)
        .Add(FixTags.MdEntryType, "0").Add(FixTags.MdEntryPx, bid).Add(FixTags.MdEntryType, "1").Add(FixTags.MdEntryPx, ask);

    [Fact]
    public void The_request_asks_for_top_of_book_bid_and_offer_of_every_provider_symbol()
    {
        var request = _book.Request().ToString();
        Assert.Matches(@"^35=V\|262=dealwire-1\|263=1\|264=1\|265=1\|267=2\|269=0\|269=1\|146=2\|55=EUR/USD\|55=GBP/USD$", request);
    }

    [Fact]
    public void A_full_refresh_gives_a_tick_under_the_dealwire_symbol_with_exact_prices()
    {
        Apply(Snapshot("EUR/USD", "1.10001", "1.10011"));
        Assert.Equal([new RawTick("EURUSD", 1.10001m, 1.10011m, 1000)], _ticks);
    }

    [Fact]
    public void Incremental_changes_move_one_side_and_a_deleted_side_holds_ticks_back_until_it_is_back()
    {
        Apply(Snapshot("EUR/USD", "1.1", "1.1002"));
        // Change the bid of EUR/USD; the second entry leaves Symbol out: it is the previous entry's.
        Apply(new FixMessage("X").Add(FixTags.NoMdEntries, 2)
            .Add(FixTags.MdUpdateAction, "1").Add(FixTags.MdEntryType, "0").Add(FixTags.Symbol, "EUR/USD").Add(FixTags.MdEntryPx, "1.1001")
            .Add(FixTags.MdUpdateAction, "2").Add(FixTags.MdEntryType, "1"));
        Apply(new FixMessage("X").Add(FixTags.NoMdEntries, 1)
            .Add(FixTags.MdUpdateAction, "0").Add(FixTags.MdEntryType, "1").Add(FixTags.Symbol, "EUR/USD").Add(FixTags.MdEntryPx, "1.1003"));
        Assert.Equal([new RawTick("EURUSD", 1.1m, 1.1002m, 1000), new RawTick("EURUSD", 1.1001m, 1.1003m, 1000)], _ticks);
    }

    [Fact]
    public void Symbols_outside_the_map_are_counted_and_ignored()
    {
        Apply(Snapshot("USD/JPY", "150", "150.01"));
        Assert.Empty(_ticks);
        Assert.Equal(1, _book.Unmapped);
    }
}
