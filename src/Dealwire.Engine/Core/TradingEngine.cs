using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Core;

/// <summary>
/// The trading state machine. Every change enters through <see cref="Execute"/> with a stamped command;
/// it owns no thread, clock or I/O, so applying the same commands from empty gives the same state.
/// </summary>
public sealed partial class TradingEngine : IEngineReader
{
    private readonly List<EngineEvent> _events = new();

    public TradingEngine(EngineSettings? settings = null)
    {
        Settings = settings ?? new EngineSettings();
    }

    public EngineSettings Settings { get; }

    public long LastSequence { get; private set; }

    public long Now { get; private set; }

    public EngineCounters Counters { get; } = new();

    /// <summary>Events produced by the last <see cref="Execute"/> call.</summary>
    public IReadOnlyList<EngineEvent> LastEvents => _events;

    /// <summary>The last accepted tick (symbol, raw quote).</summary>
    public (string Symbol, Quote Quote) LastTick { get; private set; }

    public PricingTable Pricing { get; private set; } = PricingTable.Empty;

    /// <summary>Applies one stamped command. Rejections change nothing.</summary>
    public (ReturnCode Code, string Message, object? Value) Execute(EngineCommand command)
    {
        _events.Clear();
        return (ReturnCode.TechProblem, "engine under construction", null);
    }

    public AccountSnapshot? GetAccount(long login) => null;

    public IEnumerable<AccountSnapshot> GetAccounts(GroupMask mask) => [];

    public MarginSnapshot? GetMargin(long login) => null;

    public IEnumerable<TradeRecord> GetPositions(long? login = null) => [];

    public IEnumerable<TradeRecord> GetPendingOrders(long? login = null) => [];

    public TradeRecord? GetTrade(long ticket) => null;

    public IEnumerable<TradeRecord> GetHistory(long? login, long from, long to) => [];

    public IEnumerable<LedgerEntry> GetLedger(long? login, long from, long to) => [];

    public IEnumerable<SymbolConfig> GetSymbols() => [];

    public SymbolConfig? GetSymbol(string name) => null;

    public Quote? GetQuote(string symbol, string? group = null) => null;

    public IEnumerable<SymbolGroupConfig> GetSymbolGroups() => [];

    public IEnumerable<GroupConfig> GetGroups() => [];

    public GroupConfig? GetGroup(string name) => null;

    public string StateHash() => "";

    public EngineSnapshot CreateSnapshot() => new();

    public static TradingEngine Restore(EngineSnapshot snapshot) => new(snapshot.Settings);
}
