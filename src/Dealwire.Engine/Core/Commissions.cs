using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>How much a commission setting charges for one deal, before sign and rounding.</summary>
internal static class Commissions
{
    /// <summary>
    /// Commission in account currency (unrounded, positive for a positive setting). Per lot multiplies by
    /// the lots dealt, per deal charges the value once. Money is account currency; pips are points of the
    /// symbol valued like profit (per deal: as for one lot); percent is of the deal's notional
    /// (lots × contract size × price) in the profit currency.
    /// </summary>
    public static decimal Amount(decimal value, CommissionType type, CommissionBase basis, SymbolState symbol, int volume, decimal price, ConversionRate profitRate)
    {
        var perLot = basis == CommissionBase.PerLot;
        return type switch
        {
            CommissionType.Money => value * (perLot ? volume / 100m : 1m),
            CommissionType.Pips => profitRate.Apply(value * symbol.Config.Point * (perLot ? volume : 100) * symbol.ProfitFactor),
            CommissionType.Percent => profitRate.Apply(volume / 100m * symbol.Config.ContractSize * price * value / 100m),
            _ => 0m,
        };
    }
}
