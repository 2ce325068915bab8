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

    /// <summary>Shared pricing of this exposure's symbol, group and leverage, valid while <see cref="ConfigVersion"/> matches the engine's.</summary>
    public int ConfigVersion = -1;
    public ExposurePricing? Pricing;

    /// <summary>
    /// Σ of the positions' floating profit as their records show it (each rounded to the cent), at the prices
    /// <see cref="_recordedAt"/> under the pricing context <see cref="_recordedUnder"/>: reported equity is built from it
    /// (TradingEngine.FiguresOf). <see cref="Add"/> and <see cref="Remove"/> keep it as positions come, go or change
    /// shape, so a balance event on an account holding many positions does not re-value each of them.
    /// </summary>
    private ExactSum _recordedProfit;
    private ProfitPrices _recordedAt;
    private ExposurePricing? _recordedUnder;

    /// <summary>
    /// The positions' recorded profit at <paramref name="prices"/>: the kept sum while they are exactly the prices it was
    /// taken at, under the same pricing context (a configuration change, or a move to another group or leverage, always
    /// gives the exposure a new one); otherwise summed afresh over the account's positions on this symbol.
    /// </summary>
    public decimal RecordedProfitAt(ExposurePricing pricing, ProfitPrices prices)
    {
        if (!ReferenceEquals(_recordedUnder, pricing) || !prices.IsExactly(_recordedAt))
        {
            _recordedProfit.Clear();
            foreach (var p in Account.Positions)
            {
                if (ReferenceEquals(p.Symbol, Symbol)) _recordedProfit.Add(prices.RecordedProfitOf(p));
            }
            _recordedAt = prices;
            _recordedUnder = pricing;
        }
        return _recordedProfit.Value;
    }

    public void Add(Trade position)
    {
        _recordedProfit.Add(_recordedAt.RecordedProfitOf(position));
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
        _recordedProfit.Remove(_recordedAt.RecordedProfitOf(position));
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

/// <summary>
/// What every exposure of one symbol in one group at one leverage values with: the group's price
/// adjustment, the conversions into the account currency and the margin factor (refreshed on a
/// configuration change), and the group quote, rates and per-lot margin at current prices (refreshed
/// once per price change instead of once per exposure: a tick over 20 000 accounts computes them once).
/// </summary>
internal sealed class ExposurePricing(SymbolState symbol, GroupState group, int leverage)
{
    public readonly SymbolState Symbol = symbol;
    public readonly GroupState Group = group;
    public readonly int Leverage = leverage;

    public int ConfigVersion = -1;
    public PriceAdjustment Adjust;
    public Converter ProfitConverter;
    public Converter MarginConverter;

    /// <summary>Margin of one centi-lot before price and conversion (leverage, contract and divider folded in).</summary>
    public decimal MarginFactor;

    /// <summary>Whether the margin of this symbol's mode scales with the price (CFD modes).</summary>
    public bool MarginUsesPrice;

    public long PriceVersion = -1;

    /// <summary>The symbol has a quote: <see cref="Quote"/> is the group's price.</summary>
    public bool HasQuote;
    public Quote Quote;

    /// <summary>Profit-currency → account-currency rate; 0 when unknown.</summary>
    public decimal ProfitRate;

    /// <summary>Margin-currency → account-currency rate; 0 when unknown.</summary>
    public decimal MarginRate;
    public bool ProfitRateIsOne;

    /// <summary>Margin per centi-lot bought and sold, account currency.</summary>
    public decimal PerBuy;
    public decimal PerSell;

    /// <summary>Quote and both rates known: exposures can be valued.</summary>
    public bool Ready;
}
