namespace Dealwire.Engine.Model;

/// <summary>One step of a currency conversion: through a symbol, multiplying by its bid or dividing by its ask.</summary>
/// <param name="Symbol">The symbol whose quote converts.</param>
/// <param name="Inverse">False: the amount is in the symbol's base currency, multiplied by the bid. True: in its profit
/// currency, divided by the ask. Either way the conversion never favours the account.</param>
public readonly record struct ConversionLeg(string Symbol, bool Inverse);

/// <summary>
/// The currencies the symbols link (base → profit currency) and the conversion chains the engine uses: the identity,
/// a direct pair, an inverse pair, or — when no symbol links the two — one intermediate currency (two legs), the
/// intermediate chosen in ordinal order of its code so the choice never depends on the order symbols were added.
/// The engine (converting money) and GetCrossPairSymbols (showing it) both ask here, so they cannot disagree.
/// See docs/engine.md, "Cross rates".
/// </summary>
public sealed class CurrencyGraph
{
    private readonly Dictionary<(string Base, string Profit), string> _pairs = new();
    private readonly List<string> _currencies;

    /// <summary>Builds the graph; for two symbols of the same currency pair the first in <paramref name="symbols"/> order is used.</summary>
    public CurrencyGraph(IEnumerable<SymbolConfig> symbols)
    {
        var currencies = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in symbols)
        {
            if (c.BaseCurrency.Length == 0 || c.ProfitCurrency.Length == 0) continue;
            _pairs.TryAdd((c.BaseCurrency, c.ProfitCurrency), c.Name);
            currencies.Add(c.BaseCurrency);
            currencies.Add(c.ProfitCurrency);
        }
        _currencies = currencies.ToList();
    }

    /// <summary>The direct or inverse leg between two currencies, or null when no symbol links them.</summary>
    public ConversionLeg? Leg(string from, string to)
    {
        if (_pairs.TryGetValue((from, to), out var direct)) return new ConversionLeg(direct, false);
        if (_pairs.TryGetValue((to, from), out var inverse)) return new ConversionLeg(inverse, true);
        return null;
    }

    /// <summary>The chain from one currency to another: empty for the same currency, null when none of at most two legs exists.</summary>
    public IReadOnlyList<ConversionLeg>? Find(string from, string to)
    {
        if (from.Length == 0 || to.Length == 0 || string.Equals(from, to, StringComparison.Ordinal)) return [];
        if (Leg(from, to) is { } one) return [one];
        foreach (var via in _currencies)
        {
            if (via == from || via == to) continue;
            if (Leg(from, via) is { } first && Leg(via, to) is { } second) return [first, second];
        }
        return null;
    }
}
