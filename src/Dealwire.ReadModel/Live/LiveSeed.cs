using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ReadModel.Live;

/// <summary>
/// The live state copied out of the engine in one query, with the sequence it was taken at: what a
/// <see cref="LiveView"/> starts from before it follows the committed stream after <see cref="Sequence"/>.
/// </summary>
public sealed record LiveSeed(
    long Sequence,
    IReadOnlyList<AccountSnapshot> Accounts,
    IReadOnlyList<TradeRecord> Positions,
    IReadOnlyList<TradeRecord> PendingOrders,
    IReadOnlyList<SymbolConfig> Symbols,
    IReadOnlyList<SymbolGroupConfig> SymbolGroups,
    IReadOnlyList<GroupConfig> Groups,
    IReadOnlyList<(string Symbol, Quote Quote)> Quotes,
    IReadOnlyList<DeskRecord>? Desks = null,
    IReadOnlyList<CustomerRecord>? Customers = null)
{
    /// <summary>Runs on the engine thread (inside <see cref="EngineRunner.QueryAtBatchEdgeAsync{T}"/>): copies only.</summary>
    public static LiveSeed From(IEngineReader engine)
    {
        var symbols = engine.GetSymbols().ToList();
        var quotes = new List<(string, Quote)>();
        foreach (var s in symbols)
        {
            if (engine.GetQuote(s.Name) is { } q) quotes.Add((s.Name, q));
        }
        return new LiveSeed(
            engine.LastSequence,
            engine.GetAccounts(GroupMask.All).ToList(),
            engine.GetPositions().ToList(),
            engine.GetPendingOrders().ToList(),
            symbols,
            engine.GetSymbolGroups().ToList(),
            engine.GetGroups().ToList(),
            quotes,
            engine.GetDesks().ToList(),
            engine.GetCustomers().ToList());
    }
}
