namespace Dealwire.Engine.Core;

/// <summary>
/// How an amount in one currency becomes another: identity, through a direct pair (multiply by its
/// bid), or through an inverse pair (divide by its ask). Unavailable when no symbol links the two.
/// The bid/ask choice is fixed and documented so replays and reports agree.
/// </summary>
internal readonly record struct Converter(SymbolState? Via, bool Inverse, bool Missing)
{
    public static readonly Converter Identity = new(null, false, false);
    public static readonly Converter Unavailable = new(null, false, true);

    /// <summary>The current rate, or 0 when it cannot be known yet (no pair, or no quote on it).</summary>
    public decimal Rate()
    {
        if (Missing) return 0m;
        if (Via is null) return 1m;
        var q = Via.Raw;
        if (!q.IsSet) return 0m;
        return Inverse ? 1m / q.Ask : q.Bid;
    }
}
