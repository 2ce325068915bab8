using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Prices, currency conversion, profit and margin. Kept incremental: a tick touches only its holders.</summary>
public sealed partial class TradingEngine
{
    /// <summary>(base, quote) currency → symbol, to find conversion pairs.</summary>
    private readonly Dictionary<(string Base, string Quote), SymbolState> _pairs = new();
    private int _configVersion;

    private Converter FindConverter(string from, string to)
    {
        if (from.Length == 0 || to.Length == 0 || string.Equals(from, to, StringComparison.Ordinal)) return Converter.Identity;
        if (_pairs.TryGetValue((from, to), out var direct)) return new Converter(direct, false, false);
        if (_pairs.TryGetValue((to, from), out var inverse)) return new Converter(inverse, true, false);
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
        foreach (var s in _symbolList)
        {
            var c = s.Config;
            if (c.BaseCurrency.Length > 0 && c.ProfitCurrency.Length > 0) _pairs.TryAdd((c.BaseCurrency, c.ProfitCurrency), s);
        }

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
        var via = converter.Via;
        if (via is null || ReferenceEquals(via, dependent) || via.Dependents.Contains(dependent)) return;
        via.Dependents.Add(dependent);
    }

    private void RefreshCache(Exposure e)
    {
        var group = e.Account.GroupConfig;
        var symbol = e.Symbol.Config;
        e.Adjust = PriceAdjustment.For(symbol, group);
        e.ProfitConverter = ProfitConverter(e.Symbol, group.Currency);
        e.MarginConverter = MarginConverter(e.Symbol, group.Currency);
        (e.MarginFactor, e.MarginUsesPrice) = MarginFactorOf(e.Account, symbol);
        e.ConfigVersion = _configVersion;
    }

    /// <summary>The price an account's group sees for a symbol.</summary>
    private static Quote GroupQuote(SymbolState symbol, GroupConfig group, PriceAdjustment adjust) =>
        adjust.IsNone ? symbol.Raw : adjust.Apply(symbol.Raw, symbol.Config.Digits);

    private Quote GroupQuote(SymbolState symbol, GroupConfig group) =>
        GroupQuote(symbol, group, PriceAdjustment.For(symbol.Config, group));

    /// <summary>Re-values one exposure at current prices and moves the difference into its account.</summary>
    private void Revalue(Exposure e)
    {
        if (e.ConfigVersion != _configVersion) RefreshCache(e);
        if (!e.Symbol.Raw.IsSet) return;
        if (!TryFigures(e.Account, e.Symbol, e.Adjust, e.ProfitConverter, e.MarginConverter, e.MarginFactor, e.MarginUsesPrice,
                e.BuyVolume, e.SellVolume, e.BuyOpenValue, e.SellOpenValue, out var profit, out var margin))
        {
            return; // a conversion quote is missing: keep the last known figures
        }
        var account = e.Account;
        account.FloatingProfit += profit - e.Profit;
        account.Margin += margin - e.Margin;
        e.Profit = profit;
        e.Margin = margin;
        account.Dirty = true;
    }

    /// <summary>
    /// Floating profit and required margin, in account currency, of aggregate volumes on one symbol.
    /// Buys are valued at bid, sells at ask (what closing them would get).
    /// </summary>
    private static bool TryFigures(Account account, SymbolState symbol, PriceAdjustment adjust, Converter profitConverter,
        Converter marginConverter, decimal marginFactor, bool marginUsesPrice, long buyVolume, long sellVolume,
        decimal buyValue, decimal sellValue, out decimal profit, out decimal margin)
    {
        profit = 0;
        margin = 0;
        var profitRate = profitConverter.Rate();
        var marginRate = marginConverter.Rate();
        if (profitRate == 0 || marginRate == 0) return false;

        var q = GroupQuote(symbol, account.GroupConfig, adjust);
        var inProfitCurrency = (q.Bid * buyVolume - buyValue + (sellValue - q.Ask * sellVolume)) * symbol.ProfitFactor;
        profit = profitRate == 1m ? inProfitCurrency : inProfitCurrency * profitRate;

        // Hot path: no division here; the factor was folded once per configuration change.
        var perLot = marginRate == 1m ? marginFactor : marginFactor * marginRate;
        decimal perBuy = perLot, perSell = perLot;
        if (marginUsesPrice)
        {
            perBuy = perLot * q.Ask;
            perSell = perLot * q.Bid;
        }
        margin = HedgedMargin(account.GroupConfig, symbol.Config, buyVolume, sellVolume, perBuy, perSell);
        return true;
    }

    /// <summary>
    /// Margin of one centi-lot in margin currency before price: for price-based modes the result is
    /// multiplied by the current price (ask for buys, bid for sells).
    /// </summary>
    private static (decimal Factor, bool UsesPrice) MarginFactorOf(Account account, SymbolConfig c)
    {
        var divider = account.GroupConfig.FindOverride(c.Name)?.MarginDivider ?? c.MarginDivider;
        if (divider <= 0) divider = 1m;
        var scale = 100m * divider;
        return c.MarginMode switch
        {
            MarginCalcMode.Forex => (c.ContractSize / account.Leverage / scale, false),
            MarginCalcMode.Cfd => (c.ContractSize / scale, true),
            MarginCalcMode.Futures => (c.MarginInitial / scale, false),
            MarginCalcMode.CfdIndex => (c.EffectiveTickValue / c.EffectiveTickSize / scale, true),
            MarginCalcMode.CfdLeverage => (c.ContractSize / account.Leverage / scale, true),
            _ => (c.ContractSize / account.Leverage / scale, false),
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
    private decimal? PositionProfit(Trade t)
    {
        if (!t.Symbol.Raw.IsSet) return null;
        // The position's exposure already caches its group pricing and conversion.
        var e = t.Account.FindExposure(t.Symbol);
        if (e is not null && e.ConfigVersion != _configVersion) RefreshCache(e);
        var rate = e is not null ? e.ProfitConverter.Rate() : ProfitConverter(t.Symbol, t.Account.GroupConfig.Currency).Rate();
        if (rate == 0) return null;
        var q = e is not null ? GroupQuote(t.Symbol, t.Account.GroupConfig, e.Adjust) : GroupQuote(t.Symbol, t.Account.GroupConfig);
        var close = t.IsBuy ? q.Bid : q.Ask;
        return ProfitAt(t, close, t.Volume, rate);
    }

    private static decimal ProfitAt(Trade t, decimal closePrice, int volume, decimal rate)
    {
        var move = t.IsBuy ? closePrice - t.OpenPrice : t.OpenPrice - closePrice;
        return move * volume * t.Symbol.ProfitFactor * rate;
    }

    private TradeRecord Record(Trade t)
    {
        var profit = t.Command.IsMarket() ? PositionProfit(t) ?? 0m : 0m;
        return t.ToRecord(Money.Round(profit, t.Account.GroupConfig.CurrencyDigits));
    }
}
