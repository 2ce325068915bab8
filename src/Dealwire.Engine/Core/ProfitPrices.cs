using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// The prices a position's floating profit is taken at: its account's quote of the symbol and the conversion
/// rate, the same for every position of one exposure. Not <see cref="Known"/> without a quote or a rate.
/// </summary>
internal readonly record struct ProfitPrices(bool Known, Quote Quote, ConversionRate Rate)
{
    /// <summary>Floating profit in account currency (unrounded), or null without prices. Buys close at the bid, sells at the ask.</summary>
    public decimal? ProfitOf(Trade t) => Known ? t.ProfitAt(t.IsBuy ? Quote.Bid : Quote.Ask, t.Volume, Rate) : null;

    /// <summary>A position's floating profit as its record shows it: rounded to the account currency's digits (0 without prices).</summary>
    public decimal RecordedProfitOf(Trade t)
    {
        var profit = t.Command.IsMarket() ? ProfitOf(t) ?? 0m : 0m;
        return Money.Round(profit, t.Account.GroupConfig.CurrencyDigits);
    }

    /// <summary>
    /// The same prices to the last digit of scale (1.10 is not 1.1 here): a profit taken at either reads the same
    /// on the wire, so a sum of recorded profits kept at one stays right at the other.
    /// </summary>
    public bool IsExactly(ProfitPrices other) =>
        Known == other.Known && Same(Quote.Bid, other.Quote.Bid) && Same(Quote.Ask, other.Quote.Ask)
        && Same(Rate.Price, other.Rate.Price) && Rate.Inverse == other.Rate.Inverse
        && Same(Rate.Price2, other.Rate.Price2) && Rate.Inverse2 == other.Rate.Inverse2;

    private static bool Same(decimal a, decimal b) => a == b && a.Scale == b.Scale;
}
