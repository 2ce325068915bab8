namespace Dealwire.Engine.Model;

/// <summary>A symbol group ("security"): instruments grouped for per-group trading settings.</summary>
public sealed record SymbolGroupConfig
{
    public int Index { get; init; }
    public int ParentIndex { get; init; } = -1;
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public bool TradeAllowed { get; init; } = true;
    public bool Show { get; init; } = true;
    public int SortIndex { get; init; }
}
