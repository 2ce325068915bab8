using System.Globalization;

namespace Dealwire.Feeds.Fix;

/// <summary>
/// Top of book per symbol from market-data messages: a full refresh (W) replaces a symbol's bid and offer, an
/// incremental refresh (X) adds, changes or deletes entries. A tick is produced for each symbol a message
/// touched once both sides are known. Provider symbols are mapped to Dealwire symbols here; others are ignored.
/// The session runs this on its one receive loop, so no locking.
/// </summary>
public sealed class MarketDataBook(IReadOnlyDictionary<string, string> symbolMap)
{
    private const string Bid = "0";
    private const string Offer = "1";
    private readonly Dictionary<string, (decimal? Bid, decimal? Ask)> _tops = new(StringComparer.Ordinal);
    private readonly List<string> _touched = [];
    private long _requests;

    /// <summary>Entries whose symbol is not in the map (counted, not an error: a provider may send more than asked).</summary>
    public long Unmapped { get; private set; }

    /// <summary>The MarketDataRequest (V) for every mapped symbol: snapshot plus updates, top of book, bid and offer.</summary>
    public FixMessage Request()
    {
        var request = new FixMessage(FixMsgTypes.MarketDataRequest)
            .Add(FixTags.MdReqId, "dealwire-" + (++_requests).ToString(CultureInfo.InvariantCulture))
            .Add(FixTags.SubscriptionRequestType, "1")
            .Add(FixTags.MarketDepth, "1")
            .Add(FixTags.MdUpdateType, "1")
            .Add(FixTags.NoMdEntryTypes, 2)
            .Add(FixTags.MdEntryType, Bid)
            .Add(FixTags.MdEntryType, Offer)
            .Add(FixTags.NoRelatedSym, symbolMap.Count);
        foreach (var provider in symbolMap.Keys) request.Add(FixTags.Symbol, provider);
        return request;
    }

    /// <summary>Applies a W or X message; calls <paramref name="emit"/> with each touched symbol's new top of book.</summary>
    public void Apply(FixMessage message, long timeMs, Action<RawTick> emit)
    {
        _touched.Clear();
        if (message.MsgType == FixMsgTypes.MarketDataSnapshot) ApplySnapshot(message);
        else if (message.MsgType == FixMsgTypes.MarketDataIncremental) ApplyIncremental(message);
        else return;
        foreach (var symbol in _touched)
        {
            if (_tops.TryGetValue(symbol, out var top) && top is { Bid: { } bid, Ask: { } ask }) emit(new RawTick(symbol, bid, ask, timeMs));
        }
    }

    private void ApplySnapshot(FixMessage message)
    {
        var symbol = Map(message.Get(FixTags.Symbol));
        if (symbol is null) return;
        (decimal? Bid, decimal? Ask) top = (null, null);
        string? type = null;
        foreach (var (tag, value) in message.Fields)
        {
            if (tag == FixTags.MdEntryType) type = value;
            else if (tag == FixTags.MdEntryPx && type is not null && TryPrice(value, out var price))
            {
                // Depth 1 was asked for; if a provider sends more levels, keep the best of each side.
                if (type == Bid && (top.Bid is null || price > top.Bid)) top.Bid = price;
                else if (type == Offer && (top.Ask is null || price < top.Ask)) top.Ask = price;
            }
        }
        _tops[symbol] = top;
        Touch(symbol);
    }

    private void ApplyIncremental(FixMessage message)
    {
        // Each entry starts at MDUpdateAction (279); its Symbol (55) may be left out when it repeats the previous entry's.
        string? action = null, type = null, providerSymbol = null;
        decimal? price = null;
        var inEntry = false;
        foreach (var (tag, value) in message.Fields)
        {
            switch (tag)
            {
                case FixTags.MdUpdateAction:
                    if (inEntry) ApplyEntry(action, type, providerSymbol, price);
                    (inEntry, action, type, price) = (true, value, null, null);
                    break;
                case FixTags.MdEntryType when inEntry:
                    type = value;
                    break;
                case FixTags.Symbol when inEntry:
                    providerSymbol = value;
                    break;
                case FixTags.MdEntryPx when inEntry:
                    price = TryPrice(value, out var p) ? p : null;
                    break;
            }
        }
        if (inEntry) ApplyEntry(action, type, providerSymbol, price);
    }

    private void ApplyEntry(string? action, string? type, string? providerSymbol, decimal? price)
    {
        var symbol = Map(providerSymbol);
        if (symbol is null || type is not (Bid or Offer)) return;
        _tops.TryGetValue(symbol, out var top);
        // 0 = New, 1 = Change: the side's price is now this one; 2 = Delete: the side is empty until the next entry.
        var value = action == "2" ? null : price;
        if (action != "2" && value is null) return;
        if (type == Bid) top.Bid = value;
        else top.Ask = value;
        _tops[symbol] = top;
        Touch(symbol);
    }

    private string? Map(string? providerSymbol)
    {
        if (providerSymbol is null) return null;
        if (symbolMap.TryGetValue(providerSymbol, out var symbol)) return symbol;
        Unmapped++;
        return null;
    }

    private void Touch(string symbol)
    {
        if (!_touched.Contains(symbol)) _touched.Add(symbol);
    }

    private static bool TryPrice(string text, out decimal price) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price) && price > 0;
}
