namespace Dealwire.Engine.Model;

/// <summary>A price at one moment. Time is Unix milliseconds.</summary>
public readonly record struct Quote(decimal Bid, decimal Ask, long Time)
{
    public bool IsSet => Bid > 0 && Ask > 0;
}

/// <summary>
/// How one group's prices differ from the raw feed for one symbol: a fixed spread replacing the feed's,
/// then the group's spread difference, then markups. Pure, so fan-out threads and the engine agree.
/// </summary>
/// <remarks><see cref="BidWiden"/> and <see cref="AskWiden"/> are net points each side moves away from the
/// other (positive widens the spread): the bid is lowered by BidWiden, the ask raised by AskWiden.</remarks>
public readonly record struct PriceAdjustment(int FixedSpread, int SpreadBalance, int BidWiden, int AskWiden)
{
    /// <summary>Net points added to the bid (the Manager API's <c>markup_bid</c>): −<see cref="BidWiden"/>.</summary>
    public int BidShift => -BidWiden;

    /// <summary>Net points added to the ask (the Manager API's <c>markup_ask</c>).</summary>
    public int AskShift => AskWiden;

    public static readonly PriceAdjustment None;

    public bool IsNone => FixedSpread == 0 && BidWiden == 0 && AskWiden == 0;

    public Quote Apply(Quote raw, int digits)
    {
        if (IsNone) return raw;
        var point = PowersOfTen.Negative(digits);
        decimal bid = raw.Bid, ask = raw.Ask;
        if (FixedSpread > 0)
        {
            // Centre the fixed spread on the feed's mid, shifted by the balance (points toward the ask).
            var mid = (bid + ask) / 2m;
            var half = FixedSpread / 2;
            bid = Math.Round(mid, digits, MidpointRounding.ToZero) - (half - SpreadBalance) * point;
            ask = bid + FixedSpread * point;
        }
        bid -= BidWiden * point;
        ask += AskWiden * point;
        return new Quote(bid, ask, raw.Time);
    }

    /// <summary>The adjustment a group applies to a symbol: its override, its security's spread difference.</summary>
    public static PriceAdjustment For(SymbolConfig symbol, GroupConfig group)
    {
        var sec = group.FindSecurity(symbol.SecurityIndex);
        var ovr = group.FindOverride(symbol.Name);
        var spreadDiff = sec?.SpreadDiff ?? 0;
        var fixedSpread = ovr?.FixedSpread ?? symbol.Spread;
        var balance = ovr?.FixedSpread is not null ? ovr.SpreadBalance : symbol.SpreadBalance;
        // The spread difference widens (bid down by the smaller half); a markup is added to its side as
        // documented on GroupSymbolOverride: bid_markup 5 with spread difference 4 on 1.10000 gives
        // 1.10000 − 2 + 5 points = 1.10003.
        var bidWiden = spreadDiff / 2 - (ovr?.BidMarkup ?? 0);
        var askWiden = spreadDiff - spreadDiff / 2 + (ovr?.AskMarkup ?? 0);
        return new PriceAdjustment(fixedSpread, balance, bidWiden, askWiden);
    }
}
