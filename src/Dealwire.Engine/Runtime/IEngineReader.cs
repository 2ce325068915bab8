using Dealwire.Engine.Model;

namespace Dealwire.Engine.Runtime;

/// <summary>
/// Read access to the engine's state. Only valid on the engine thread, i.e. inside
/// <see cref="EngineRunner.QueryAsync{T}"/>; copy what you need out of the callback.
/// </summary>
public interface IEngineReader
{
    /// <summary>Sequence of the last applied command.</summary>
    long LastSequence { get; }

    /// <summary>The server configuration (GetConfig / UpdateConfig).</summary>
    Model.ServerConfig ServerConfig { get; }

    /// <summary>Engine time of the last applied command, Unix ms.</summary>
    long Now { get; }

    EngineCounters Counters { get; }

    AccountSnapshot? GetAccount(long login);

    IEnumerable<AccountSnapshot> GetAccounts(GroupMask mask);

    MarginSnapshot? GetMargin(long login);

    /// <summary>Open positions (with current floating profit), optionally of one account.</summary>
    IEnumerable<TradeRecord> GetPositions(long? login = null);

    IEnumerable<TradeRecord> GetPendingOrders(long? login = null);

    /// <summary>
    /// An open position or pending order by ticket. Closed deals, cancelled orders, finance records and the ledger
    /// are not engine state: read them from the history store (<c>IHistoryReader</c>).
    /// </summary>
    TradeRecord? GetTrade(long ticket);

    /// <summary>The live idempotency record of a caller's key (see <c>IIdempotentCommand</c>), or null.</summary>
    Core.IdempotencyRecord? FindIdempotency(string caller, string key);

    IEnumerable<SymbolConfig> GetSymbols();

    SymbolConfig? GetSymbol(string name);

    /// <summary>Last raw quote of a symbol, or the price a group sees when <paramref name="group"/> is given.</summary>
    Quote? GetQuote(string symbol, string? group = null);

    IEnumerable<SymbolGroupConfig> GetSymbolGroups();

    IEnumerable<GroupConfig> GetGroups();

    /// <summary>CRM desks, by code.</summary>
    IEnumerable<DeskRecord> GetDesks();

    /// <summary>CRM customers, by id (records carry the password hash: never send it).</summary>
    IEnumerable<CustomerRecord> GetCustomers();

    GroupConfig? GetGroup(string name);

    /// <summary>A deterministic hash over the whole primary state (hex).</summary>
    string StateHash();

    /// <summary>
    /// Logins (ascending) whose figures, positions or profile changed after change clock
    /// <paramref name="since"/>, and the clock to pass next time. Start with -1 to get every account.
    /// Several readers can each keep their own clock value.
    /// </summary>
    AccountChanges GetChangedAccounts(long since);
}

/// <summary>Accounts changed since a change clock value, and the clock now.</summary>
public sealed record AccountChanges(IReadOnlyList<long> Logins, long Clock);

/// <summary>Counters the engine keeps for monitoring (not part of the state hash).</summary>
public sealed class EngineCounters
{
    public long TicksProcessed;
    public long TicksRejectedUnknownSymbol;
    public long TicksRejectedOutOfOrder;
    public long TicksRejectedInvalid;
    public long CommandsApplied;
    public long CommandsRejected;
    /// <summary>Commands answered from an idempotency key (the original outcome, or a refused different request).</summary>
    public long IdempotentRepeats;
}
