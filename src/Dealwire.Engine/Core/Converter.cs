namespace Dealwire.Engine.Core;

/// <summary>
/// How an amount in one currency becomes another: identity, through a direct pair (multiply by its
/// bid), or through an inverse pair (divide by its ask). Unavailable when no symbol links the two.
/// The bid/ask choice is fixed and documented so replays and reports agree.
/// </summary>
internal readonly record struct Converter(SymbolState? Via, bool Inverse, bool Missing, SymbolState? Via2 = null, bool Inverse2 = false)
{
    public static readonly Converter Identity = new(null, false, false);
    public static readonly Converter Unavailable = new(null, false, true);

    /// <summary>The current rate, or <see cref="ConversionRate.Unknown"/> when it cannot be known yet (no pair, or no quote on it).</summary>
    public ConversionRate Rate()
    {
        if (Missing) return ConversionRate.Unknown;
        if (Via is null) return ConversionRate.One;
        var q = Via.Raw;
        if (!q.IsSet) return ConversionRate.Unknown;
        var first = Inverse ? q.Ask : q.Bid;
        if (Via2 is null) return new ConversionRate(first, Inverse);
        // A cross rate: the second leg follows the same rule (bid to multiply, ask to divide) on its own pair.
        var q2 = Via2.Raw;
        if (!q2.IsSet) return ConversionRate.Unknown;
        return new ConversionRate(first, Inverse, Inverse2 ? q2.Ask : q2.Bid, Inverse2);
    }
}

/// <summary>
/// A conversion at one moment: the quoted price and whether amounts are divided by it (inverse pair)
/// or multiplied. Booked money is converted with <see cref="Apply"/>, which divides for an inverse pair:
/// multiplying by a reciprocal cut at 28 digits loses the exact half cent (3 JPY ÷ 120 = 0.025 USD
/// exactly, but 3 × 0.0083333…3 = 0.0249999…9 rounds to 0.02 instead of 0.03).
/// </summary>
internal readonly record struct ConversionRate(decimal Price, bool Inverse, decimal Price2 = 0m, bool Inverse2 = false)
{
    public static readonly ConversionRate One = new(1m, false);
    public static readonly ConversionRate Unknown = new(0m, false);

    public bool IsKnown => Price != 0;

    /// <summary>An amount in the source currency, exactly in the target currency (unrounded).</summary>
    public decimal Apply(decimal amount)
    {
        // Leg by leg, each dividing or multiplying exactly (no product of rates, which would round twice).
        var first = Inverse ? amount / Price : amount * Price;
        return Price2 == 0m ? first : Inverse2 ? first / Price2 : first * Price2;
    }

    /// <summary>
    /// The rate as one multiplier (1 / ask for an inverse pair): for the records' open/close rates and for
    /// floating valuation on the tick path, which must not divide per exposure. Never used to book money.
    /// </summary>
    public decimal Multiplier => (Inverse ? 1m / Price : Price) * (Price2 == 0m ? 1m : Inverse2 ? 1m / Price2 : Price2);
}
