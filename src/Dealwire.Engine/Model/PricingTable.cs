namespace Dealwire.Engine.Model;

/// <summary>
/// Immutable map of how each group's prices differ from the raw feed, per symbol. The engine publishes
/// a new table whenever symbols or groups change, so fan-out threads price quotes for a connection's
/// group without asking the engine.
/// </summary>
public sealed class PricingTable
{
    private readonly Dictionary<string, SymbolConfig> _symbols;
    private readonly Dictionary<(string Group, string Symbol), PriceAdjustment> _adjustments;

    public static readonly PricingTable Empty = new([], []);

    public PricingTable(IEnumerable<SymbolConfig> symbols, IEnumerable<GroupConfig> groups)
    {
        _symbols = symbols.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _adjustments = new();
        foreach (var g in groups)
        {
            foreach (var s in _symbols.Values)
            {
                var adj = PriceAdjustment.For(s, g);
                if (!adj.IsNone) _adjustments[(g.Name, s.Name)] = adj;
            }
        }
    }

    public SymbolConfig? FindSymbol(string name) => _symbols.GetValueOrDefault(name);

    public PriceAdjustment AdjustmentFor(string group, string symbol) =>
        _adjustments.TryGetValue((group, symbol), out var adj) ? adj : PriceAdjustment.None;

    /// <summary>The price a member of <paramref name="group"/> sees for a raw quote.</summary>
    public Quote ForGroup(string group, string symbol, Quote raw)
    {
        if (!_adjustments.TryGetValue((group, symbol), out var adj)) return raw;
        return adj.Apply(raw, _symbols.TryGetValue(symbol, out var s) ? s.Digits : 5);
    }
}
