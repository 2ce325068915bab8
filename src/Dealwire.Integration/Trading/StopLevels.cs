using Dealwire.Engine.Model;
using Dealwire.Integration.Hosting;

namespace Dealwire.Integration.Trading;

/// <summary>
/// TP/SL come in two forms (spec §4): an instrument price (<c>*InAssetPrice</c>) or a profit/loss threshold in the
/// account's currency (<c>*InCurrency</c> in requests, <c>*InProfit</c> in models). The engine keeps prices, so a
/// currency threshold becomes the price at which the position's profit reaches it:
/// <c>price = open ± amount / (lots × contract size × rate)</c>, rounded to the symbol's digits, where rate converts the
/// symbol's profit currency into the account's (1 when they are equal, 1/price when the account holds the base
/// currency; any other pair has no rate here: <c>MultiplierIsNotFound</c>). TP is a profit, SL a loss: the sign of
/// the amount is ignored. DECISION (spec §4): when both forms are given, the asset price wins.
/// </summary>
public sealed record StopPlan(decimal OpenPrice, decimal Lots, SymbolConfig Symbol, bool Buy, decimal? Rate)
{
    public decimal? TakeProfit(double? assetPrice, double? inCurrency, out bool valid) => Level(assetPrice, inCurrency, profit: true, out valid);

    public decimal? StopLoss(double? assetPrice, double? inCurrency, out bool valid) => Level(assetPrice, inCurrency, profit: false, out valid);

    private decimal? Level(double? assetPrice, double? inCurrency, bool profit, out bool valid)
    {
        valid = true;
        if (assetPrice is { } a)
        {
            valid = WireNumbers.TryDecimal(a, out var p) && p >= 0;
            return valid ? p : null;
        }
        if (inCurrency is not { } c) return null;
        if (!WireNumbers.TryDecimal(c, out var amount) || Rate is not { } rate || rate <= 0 || Lots <= 0)
        {
            valid = false;
            return null;
        }
        var distance = Math.Abs(amount) / (Lots * Symbol.ContractSize * rate);
        var up = Buy == profit;
        return decimal.Round(up ? OpenPrice + distance : OpenPrice - distance, Symbol.Digits, MidpointRounding.AwayFromZero);
    }

    /// <summary>The profit (TP, positive) or loss (SL, negative) the position books if the price reaches <paramref name="level"/>.</summary>
    public decimal? ProfitAt(decimal level)
    {
        if (level <= 0 || Rate is not { } rate) return null;
        var move = Buy ? level - OpenPrice : OpenPrice - level;
        return decimal.Round(move * Lots * Symbol.ContractSize * rate, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>Profit currency → account currency, from the price itself when one side is the account's currency.</summary>
    public static decimal? RateFor(SymbolConfig symbol, string accountCurrency, decimal price)
    {
        if (string.Equals(symbol.ProfitCurrency, accountCurrency, StringComparison.OrdinalIgnoreCase)) return 1m;
        if (string.Equals(symbol.BaseCurrency, accountCurrency, StringComparison.OrdinalIgnoreCase) && price > 0) return 1m / price;
        return null;
    }
}
