using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// The swap of one position for one night, by the symbol's (or the group override's) swap type. Amounts
/// are signed: a positive rate credits, a negative one charges. Interest types use a 360-day year.
/// </summary>
internal static class Swaps
{
    public const decimal DaysPerYear = 360m;

    /// <summary>Rate and type that apply to a position, or null when swaps are off for it.</summary>
    public static (SwapType Type, decimal Rate)? RateFor(GroupConfig group, SymbolConfig symbol, bool isBuy)
    {
        if (!group.UseSwap) return null;
        var ovr = group.FindOverride(symbol.Name);
        if (!(ovr?.SwapEnabled ?? symbol.SwapEnabled)) return null;
        var rate = isBuy ? ovr?.SwapLong ?? symbol.SwapLong : ovr?.SwapShort ?? symbol.SwapShort;
        if (rate == 0) return null;
        return (ovr?.SwapType ?? symbol.SwapType, rate);
    }

    /// <summary>
    /// Nights charged by the rollover that closes <paramref name="day"/>: with the FX calendar, none for
    /// Saturday and Sunday and three on the triple-swap day (it carries the weekend); with daily swaps,
    /// one for every calendar day.
    /// </summary>
    public static int Nights(SymbolConfig symbol, DayOfWeek day)
    {
        if (symbol.SwapDaily) return 1;
        if (day is DayOfWeek.Saturday or DayOfWeek.Sunday) return 0;
        return day == symbol.TripleSwapDay ? 3 : 1;
    }

    /// <summary>
    /// One night of swap in account currency, unrounded. <paramref name="profitRate"/> and
    /// <paramref name="marginRate"/> convert the profit and margin currencies to the account currency;
    /// <paramref name="closePrice"/> is what the position would close at now (bid for buys, ask for sells).
    /// </summary>
    public static decimal PerNight(SwapType type, decimal rate, SymbolState symbol, int volume, decimal openPrice, decimal closePrice,
        ConversionRate profitRate, ConversionRate marginRate)
    {
        var cfg = symbol.Config;
        var lots = volume / 100m;
        return type switch
        {
            // Points of price, valued like profit: rate × point × (value of one price unit for the volume).
            SwapType.Points => profitRate.Apply(rate * cfg.Point * volume * symbol.ProfitFactor),
            // Money per lot, already in the account (deposit) currency.
            SwapType.Money => rate * lots,
            // Annual % of the nominal (lots × contract size), which is in the base/margin currency.
            SwapType.Interest => marginRate.Apply(lots * cfg.ContractSize * rate / 100m / DaysPerYear),
            // Money per lot in the margin currency.
            SwapType.MarginCurrency => marginRate.Apply(rate * lots),
            // Annual % of the position's value at its open price or at the current price (profit currency).
            SwapType.InterestOpenPrice => profitRate.Apply(openPrice * volume * symbol.ProfitFactor * rate / 100m / DaysPerYear),
            SwapType.InterestCurrentPrice => profitRate.Apply(closePrice * volume * symbol.ProfitFactor * rate / 100m / DaysPerYear),
            _ => 0m,
        };
    }
}
