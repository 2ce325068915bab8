using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>The engine's live view of one symbol: config, last price, and who holds it.</summary>
internal sealed class SymbolState(SymbolConfig config)
{
    public SymbolConfig Config = config;

    /// <summary>Last accepted raw quote.</summary>
    public Quote Raw;

    /// <summary>Accounts holding positions on this symbol, one exposure each; order matters for determinism.</summary>
    public readonly List<Exposure> Exposures = new();

    /// <summary>Symbols whose profit or margin converts through this symbol's price.</summary>
    public readonly List<SymbolState> Dependents = new();

    /// <summary>Profit per price unit per centi-lot, in profit currency.</summary>
    public decimal ProfitFactor;

    /// <summary>Conversion into the account currency last asked for (see <c>TradingEngine.ConvertersFor</c>).</summary>
    public SymbolConverters Converters = new(null, -1, default, default);

    /// <summary>Open positions on this symbol (all accounts).</summary>
    public int OpenPositions;

    public void Refresh(SymbolConfig config)
    {
        Config = config;
        ProfitFactor = config.EffectiveTickValue / config.EffectiveTickSize / 100m;
    }
}

/// <summary>The engine's live view of one trading group.</summary>
internal sealed class GroupState(GroupConfig config)
{
    public GroupConfig Config = config;
    public int Accounts;
}

/// <summary>Profit and margin converters of one symbol into one account currency, valid for one configuration version.</summary>
internal readonly record struct SymbolConverters(string? Currency, int Version, Converter Profit, Converter Margin);
