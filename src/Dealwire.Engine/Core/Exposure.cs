using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// One account's aggregate position on one symbol. Keeping sums (volume and volume × open price) per
/// side makes a tick's re-valuation O(1) per account and symbol, however many positions it holds:
/// Σ vol·(bid − open) = bid·Σvol − Σ(vol·open).
/// </summary>
internal sealed class Exposure(Account account, SymbolState symbol)
{
    public readonly Account Account = account;
    public readonly SymbolState Symbol = symbol;

    /// <summary>Position of this exposure in <see cref="SymbolState.Exposures"/>, for O(1) removal.</summary>
    public int IndexInSymbol;

    public long BuyVolume;
    public long SellVolume;
    public decimal BuyOpenValue;
    public decimal SellOpenValue;

    /// <summary>Current contributions to the account, account currency.</summary>
    public decimal Profit;
    public decimal Margin;

    public int Positions;

    /// <summary>Cached pricing and conversion, valid while <see cref="ConfigVersion"/> matches the engine's.</summary>
    public int ConfigVersion = -1;
    public PriceAdjustment Adjust;
    public Converter ProfitConverter;
    public Converter MarginConverter;

    /// <summary>Margin of one centi-lot before price and conversion (leverage, contract and divider folded in).</summary>
    public decimal MarginFactor;

    /// <summary>Whether the margin of this symbol's mode scales with the price (CFD modes).</summary>
    public bool MarginUsesPrice;

    public void Add(Trade position)
    {
        if (position.IsBuy)
        {
            BuyVolume += position.Volume;
            BuyOpenValue += position.Volume * position.OpenPrice;
        }
        else
        {
            SellVolume += position.Volume;
            SellOpenValue += position.Volume * position.OpenPrice;
        }
        Positions++;
    }

    public void Remove(Trade position)
    {
        if (position.IsBuy)
        {
            BuyVolume -= position.Volume;
            BuyOpenValue -= position.Volume * position.OpenPrice;
        }
        else
        {
            SellVolume -= position.Volume;
            SellOpenValue -= position.Volume * position.OpenPrice;
        }
        Positions--;
    }
}
