using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dealwire.Client;

/// <summary>A symbol's configuration with its live quote (<c>GetSymbols</c> rows, <c>GetSymbol</c>, <c>symbol:event</c>).</summary>
public sealed record SymbolInfo : ISymbolScoped
{
    /// <summary>Symbol name.</summary>
    public string Symbol { get; init; } = "";
    /// <summary>Description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Base currency.</summary>
    public string Currency { get; init; } = "";
    /// <summary>Symbol group (security) index.</summary>
    public int SecIndex { get; init; }
    /// <summary>Price digits.</summary>
    public int Digits { get; init; }
    /// <summary>Trade mode (0 disabled, …).</summary>
    public int Trade { get; init; }
    /// <summary>Contract size of one lot.</summary>
    public decimal ContractSize { get; init; }
    /// <summary>Spread in points (0 = floating).</summary>
    public int Spread { get; init; }
    /// <summary>Long swap.</summary>
    public decimal SwapLong { get; init; }
    /// <summary>Short swap.</summary>
    public decimal SwapShort { get; init; }
    /// <summary>Current bid (0 before the first tick).</summary>
    public decimal Bid { get; init; }
    /// <summary>Current ask.</summary>
    public decimal Ask { get; init; }
    /// <summary>Time of the last tick, Unix seconds.</summary>
    public long TickTime { get; init; }
    /// <summary>Fields this type does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A trading group (<c>GetGroups</c> rows, <c>group:event</c>).</summary>
public sealed record GroupInfo
{
    /// <summary>Group name.</summary>
    public string Group { get; init; } = "";
    /// <summary>Company.</summary>
    public string Company { get; init; } = "";
    /// <summary>Deposit currency.</summary>
    public string Currency { get; init; } = "";
    /// <summary>Whether the group is enabled.</summary>
    [JsonConverter(typeof(IntBoolConverter))] public bool Enable { get; init; }
    /// <summary>Leverage given to new accounts.</summary>
    public int DefaultLeverage { get; init; }
    /// <summary>Margin-call level.</summary>
    public decimal MarginCall { get; init; }
    /// <summary>Stop-out level.</summary>
    public decimal MarginStopout { get; init; }
    /// <summary>Fields this type does not name (<c>secgroups</c>, <c>secmargins</c>, …).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One entry of the symbol reindex record <c>["sr",[[symbol,sym_index,sort_index],…]]</c>.</summary>
public readonly record struct SymbolIndexEntry(string Symbol, int SymbolIndex, int SortIndex);

/// <summary>One entry of the symbol-group reindex record <c>["sc",[[sec_index,sort_index],…]]</c>.</summary>
public readonly record struct SymbolGroupIndexEntry(int SecIndex, int SortIndex);
