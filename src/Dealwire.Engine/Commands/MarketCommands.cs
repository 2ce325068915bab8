using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

/// <summary>A raw price from a feed. <see cref="QuoteTime"/> is the feed's time, Unix ms.</summary>
public sealed record ApplyTick(string Symbol, decimal Bid, decimal Ask, long QuoteTime) : EngineCommand<bool>;

/// <summary>
/// Lets engine time pass with no other input: expirations, rollovers and end of day, session opens. Its time
/// is its stamp. Answers <see cref="Model.ReturnCode.OkNone"/> (and is not journaled) when nothing was due.
/// </summary>
public sealed record AdvanceTime : EngineCommand<bool>
{
    /// <summary>The actor of the host's clock and of the runner's catch-up before a command.</summary>
    public const string ClockActor = "clock";
}

public sealed record UpsertSymbol(SymbolConfig Symbol) : EngineCommand<SymbolConfig>;

public sealed record DeleteSymbol(string Name) : EngineCommand<SymbolConfig>;

public sealed record UpsertSymbolGroup(SymbolGroupConfig SymbolGroup) : EngineCommand<SymbolGroupConfig>
{
    /// <summary>When true, Index 0 asks for the next free index.</summary>
    public bool AssignIndex { get; init; }
}

public sealed record DeleteSymbolGroup(int Index) : EngineCommand<SymbolGroupConfig>;

public sealed record UpsertGroup(GroupConfig Group) : EngineCommand<GroupConfig>;

public sealed record DeleteGroup(string Name) : EngineCommand<GroupConfig>;
