using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Prices, currency conversion, profit and margin. Kept incremental: a tick touches only its holders.</summary>
public sealed partial class TradingEngine
{
    /// <summary>(base, quote) currency → symbol, to find conversion pairs.</summary>
    private readonly Dictionary<(string Base, string Quote), SymbolState> _pairs = new();
    private CurrencyGraph _currencyGraph = new([]);
    private int _configVersion;

    /// <summary>Bumped whenever a quote changes: pricing contexts recompute their rates once per change.</summary>
    private long _priceVersion;

    /// <summary>Pricing contexts by symbol, group and leverage; rebuilt lazily after configuration changes.</summary>
    private readonly Dictionary<(SymbolState, GroupState, int), ExposurePricing> _pricings = new();

    private Converter FindConverter(string from, string to)
    {
        if (from.Length == 0 || to.Length == 0 || string.Equals(from, to, StringComparison.Ordinal)) return Converter.Identity;
        if (_pairs.TryGetValue((from, to), out var direct)) return new Converter(direct, false, false);
        if (_pairs.TryGetValue((to, from), out var inverse)) return new Converter(inverse, true, false);
        // One intermediate currency (an EUR account trading USDJPY: JPY → USD → EUR); see CurrencyGraph.
        if (_currencyGraph.Find(from, to) is [var first, var second])
        {
            return new Converter(_symbols[first.Symbol], first.Inverse, false, _symbols[second.Symbol], second.Inverse);
        }
        return Converter.Unavailable;
    }

    /// <summary>How a symbol's profit currency converts into an account currency (cached per symbol).</summary>
    private Converter ProfitConverter(SymbolState symbol, string currency) => ConvertersFor(symbol, currency).Profit;

    /// <summary>How a symbol's margin currency converts into an account currency (cached per symbol).</summary>
    private Converter MarginConverter(SymbolState symbol, string currency) => ConvertersFor(symbol, currency).Margin;

    /// <summary>
    /// A one-entry cache per symbol: nearly every deal converts into the same account currency, and the
    /// look-up by currency pair hashes two strings twice per converter.
    /// </summary>
    private ref readonly SymbolConverters ConvertersFor(SymbolState symbol, string currency)
    {
        ref var cached = ref symbol.Converters;
        if (cached.Version != _configVersion || !string.Equals(cached.Currency, currency, StringComparison.Ordinal))
        {
            cached = new SymbolConverters(currency, _configVersion,
                FindConverter(symbol.Config.ProfitCurrency, currency), FindConverter(symbol.Config.EffectiveMarginCurrency, currency));
        }
        return ref cached;
    }

    /// <summary>Re-derives conversion pairs, dependents and pricing after any symbol or group change.</summary>
    private void RebuildDerivedConfig()
    {
        _configVersion++;
        _pairs.Clear();
        _pricings.Clear();
        foreach (var s in _symbolList)
        {
            var c = s.Config;
            if (c.BaseCurrency.Length > 0 && c.ProfitCurrency.Length > 0) _pairs.TryAdd((c.BaseCurrency, c.ProfitCurrency), s);
        }
        _currencyGraph = new CurrencyGraph(_symbolList.Select(s => s.Config));

        foreach (var s in _symbolList) s.Dependents.Clear();
        var currencies = _groupList.Select(g => g.Config.Currency).Distinct(StringComparer.Ordinal).ToList();
        foreach (var d in _symbolList)
        {
            foreach (var ccy in currencies)
            {
                AddDependent(FindConverter(d.Config.ProfitCurrency, ccy), d);
                AddDependent(FindConverter(d.Config.EffectiveMarginCurrency, ccy), d);
            }
        }

        Pricing = new PricingTable(_symbolList.Select(s => s.Config), _groupList.Select(g => g.Config));
    }

    private static void AddDependent(Converter converter, SymbolState dependent)
    {
        // A cross rate moves with both of its pairs.
        if (converter.Via2 is { } second) AddDependent(new Converter(second, converter.Inverse2, false), dependent);
        var via = converter.Via;
        if (via is null || ReferenceEquals(via, dependent) || via.Dependents.Contains(dependent)) return;
        via.Dependents.Add(dependent);
    }

    /// <summary>The price an account's group sees for a symbol.</summary>
    private static Quote GroupQuote(SymbolState symbol, GroupConfig group, PriceAdjustment adjust) =>
        adjust.IsNone ? symbol.Raw : adjust.Apply(symbol.Raw, symbol.Config.Digits);

    private static Quote GroupQuote(SymbolState symbol, GroupConfig group) =>
        GroupQuote(symbol, group, PriceAdjustment.For(symbol.Config, group));

    /// <summary>An exposure's shared pricing, brought up to date with configuration and prices.</summary>
    private ExposurePricing PricingOf(Exposure e)
    {
        if (e.ConfigVersion != _configVersion)
        {
            // Group, leverage or configuration changed: the exposure may belong to another context now.
            e.Pricing = PricingFor(e.Symbol, e.Account);
            e.ConfigVersion = _configVersion;
        }
        var pricing = e.Pricing!;
        Prepare(pricing);
        return pricing;
    }

    /// <summary>The pricing context of a symbol for an account (its group and leverage), up to date.</summary>
    private ExposurePricing PricingFor(SymbolState symbol, Account account)
    {
        var key = (symbol, account.Group, account.Leverage);
        if (!_pricings.TryGetValue(key, out var pricing))
        {
            pricing = new ExposurePricing(symbol, account.Group, account.Leverage);
            _pricings.Add(key, pricing);
        }
        Prepare(pricing);
        return pricing;
    }

    /// <summary>
    /// Refreshes a context's settings after a configuration change and its quote, rates and per-lot margin
    /// after a price change. The arithmetic is the same as per exposure, done once for all that share it.
    /// </summary>
    private void Prepare(ExposurePricing p)
    {
        if (p.ConfigVersion != _configVersion)
        {
            var group = p.Group.Config;
            p.Adjust = PriceAdjustment.For(p.Symbol.Config, group);
            p.ProfitConverter = ProfitConverter(p.Symbol, group.Currency);
            p.MarginConverter = MarginConverter(p.Symbol, group.Currency);
            (p.MarginFactor, p.MarginUsesPrice) = MarginFactorOf(group, p.Leverage, p.Symbol.Config);
            p.ConfigVersion = _configVersion;
            p.PriceVersion = -1;
        }
        if (p.PriceVersion == _priceVersion) return;
        p.PriceVersion = _priceVersion;
        p.Ready = false;
        p.HasQuote = p.Symbol.Raw.IsSet;
        var profitRate = p.ProfitConverter.Rate();
        // Floating profit multiplies per exposure: the reciprocal of an inverse rate is taken here, once per
        // price change. Booked money never uses it (see ConversionRate.Apply).
        p.ProfitRate = profitRate.IsKnown ? profitRate.Multiplier : 0m;
        if (!p.HasQuote) return;
        p.Quote = GroupQuote(p.Symbol, p.Group.Config, p.Adjust);
        var marginConversion = p.MarginConverter.Rate();
        var marginRate = marginConversion.IsKnown ? marginConversion.Multiplier : 0m;
        p.MarginRate = marginRate;
        if (p.ProfitRate == 0 || marginRate == 0) return; // a conversion quote is missing
        p.ProfitRateIsOne = p.ProfitRate == 1m;
        // No division here: the factor was folded once per configuration change.
        var perLot = marginRate == 1m ? p.MarginFactor : p.MarginFactor * marginRate;
        p.PerBuy = perLot;
        p.PerSell = perLot;
        if (p.MarginUsesPrice)
        {
            p.PerBuy = perLot * p.Quote.Ask;
            p.PerSell = perLot * p.Quote.Bid;
        }
        p.Ready = true;
    }

    /// <summary>Re-values one exposure at current prices and moves the difference into its account.</summary>
    private void Revalue(Exposure e)
    {
        var pricing = PricingOf(e);
        if (!pricing.Ready)
        {
            // No quote yet, or a conversion quote is missing: the exposure keeps its last known figures, but the
            // positions' record profit (what reported equity is built from, see FiguresOf) may still have moved.
            e.Account.ChangedAt = _changeClock;
            return;
        }
        Figures(pricing, e.BuyVolume, e.SellVolume, e.BuyOpenValue, e.SellOpenValue, out var profit, out var margin);
        var account = e.Account;
        account.FloatingProfit += profit - e.Profit;
        account.Margin += margin - e.Margin;
        e.Profit = profit;
        e.Margin = margin;
        account.ChangedAt = _changeClock;
    }

    /// <summary>
    /// Floating profit and required margin, in account currency, of aggregate volumes on one symbol, for a
    /// <see cref="ExposurePricing.Ready"/> context. Buys are valued at bid, sells at ask (what closing them would get).
    /// </summary>
    private static void Figures(ExposurePricing p, long buyVolume, long sellVolume, decimal buyValue, decimal sellValue,
        out decimal profit, out decimal margin)
    {
        var q = p.Quote;
        var inProfitCurrency = (q.Bid * buyVolume - buyValue + (sellValue - q.Ask * sellVolume)) * p.Symbol.ProfitFactor;
        profit = p.ProfitRateIsOne ? inProfitCurrency : inProfitCurrency * p.ProfitRate;
        margin = HedgedMargin(p.Group.Config, p.Symbol.Config, buyVolume, sellVolume, p.PerBuy, p.PerSell);
    }

    /// <summary>
    /// Margin of one centi-lot in margin currency before price: for price-based modes the result is
    /// multiplied by the current price (ask for buys, bid for sells).
    /// </summary>
    private static (decimal Factor, bool UsesPrice) MarginFactorOf(GroupConfig group, int leverage, SymbolConfig c)
    {
        var divider = group.FindOverride(c.Name)?.MarginDivider ?? c.MarginDivider;
        if (divider <= 0) divider = 1m;
        var scale = 100m * divider;
        return c.MarginMode switch
        {
            MarginCalcMode.Forex => (c.ContractSize / leverage / scale, false),
            MarginCalcMode.Cfd => (c.ContractSize / scale, true),
            MarginCalcMode.Futures => (c.MarginInitial / scale, false),
            MarginCalcMode.CfdIndex => (c.EffectiveTickValue / c.EffectiveTickSize / scale, true),
            MarginCalcMode.CfdLeverage => (c.ContractSize / leverage / scale, true),
            _ => (c.ContractSize / leverage / scale, false),
        };
    }

    /// <summary>
    /// Both legs in full by default; the larger leg only with the group's large-leg option; with a
    /// symbol's hedged contract size, the hedged volume of each leg margined at that size instead.
    /// </summary>
    private static decimal HedgedMargin(GroupConfig group, SymbolConfig c, long buy, long sell, decimal perBuy, decimal perSell)
    {
        if (group.HedgeLargeLeg) return Math.Max(buy * perBuy, sell * perSell);
        if (c.MarginHedged is not { } hedgedContract || buy == 0 || sell == 0) return buy * perBuy + sell * perSell;
        var hedged = Math.Min(buy, sell);
        var ratio = c.ContractSize > 0 ? hedgedContract / c.ContractSize : 0m;
        return (buy - hedged) * perBuy + (sell - hedged) * perSell + hedged * (perBuy + perSell) * ratio;
    }

    /// <summary>Floating profit of one position in account currency (unrounded), or null without rates.</summary>
    private decimal? PositionProfit(Trade t) => ProfitPricesOf(t).ProfitOf(t);

    private ProfitPrices ProfitPricesOf(Trade t)
    {
        // The position's exposure shares its group's pricing and conversion, current for these prices.
        var e = t.Account.FindExposure(t.Symbol);
        return ProfitPricesOf(e is not null ? PricingOf(e) : PricingFor(t.Symbol, t.Account));
    }

    private static ProfitPrices ProfitPricesOf(ExposurePricing pricing) =>
        pricing.Symbol.Raw.IsSet && pricing.ProfitRate != 0 ? new ProfitPrices(true, pricing.Quote, pricing.ProfitConverter.Rate()) : default;

    private TradeRecord Record(Trade t) => t.ToRecord(RecordedProfit(t));

    /// <summary>A position's floating profit as its record shows it: rounded to the account currency's digits (0 without rates).</summary>
    private decimal RecordedProfit(Trade t) => (t.Command.IsMarket() ? ProfitPricesOf(t) : default).RecordedProfitOf(t);

    /// <summary>
    /// An account's reported figures, built from the same rounded per-position profit its trade records carry:
    /// rounding the exact sum instead (what the exposures hold) lets equity differ from balance + credit +
    /// Σ record profit + swap by a cent (92 USD with 0.01 lot US500 floating -0.005: the record says -0.01, the
    /// exact equity 91.995 rounds to 92.00). The margin-level rules keep the exact exposure figures.
    /// </summary>
    private MarginSnapshot FiguresOf(Account account) => account.Snapshot(RecordedFloating(account));

    /// <summary>
    /// Σ of an account's positions' recorded profit, from each exposure's kept sum (<see cref="Exposure.RecordedProfitAt"/>):
    /// O(symbols held) while prices stand still, as a close's balance events find them (docs/engine.md).
    /// </summary>
    private decimal RecordedFloating(Account account)
    {
        // Adding the exposures' sums keeps the largest scale among them, as one sum over every position would.
        decimal floating = 0;
        foreach (var e in account.Exposures)
        {
            var pricing = PricingOf(e);
            floating += e.RecordedProfitAt(pricing, ProfitPricesOf(pricing));
        }
        return floating;
    }
}
