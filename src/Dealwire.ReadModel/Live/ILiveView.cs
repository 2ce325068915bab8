using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ReadModel.Live;

/// <summary>
/// The live projection: accounts, logins → groups, symbols, groups, last prices, open positions and pending
/// orders, kept from the committed stream and shared by every gateway. Every read is thread-safe and never
/// touches the engine thread. <see cref="Sequence"/> is the last batch applied; reads see a state at least
/// that recent.
/// </summary>
public interface ILiveView
{
    /// <summary>Sequence of the last committed batch applied to this view.</summary>
    long Sequence { get; }

    /// <summary>
    /// Runs <paramref name="read"/> against one applied state (no batch is applied meanwhile) and returns the sequence
    /// of that state with the result: what a subscription snapshot needs so that live events after it follow exactly.
    /// </summary>
    (long Sequence, T Value) ReadConsistent<T>(Func<ILiveView, T> read);

    /// <summary>Completes when <see cref="Sequence"/> ≥ <paramref name="sequence"/> (read-your-writes: a reply carries its command's sequence).</summary>
    ValueTask WaitForAsync(long sequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called after each batch is applied to the view, in sequence order, with that batch's events: gateways fan
    /// events out from here, so a pushed event never reaches a client before the view that later reads will see.
    /// </summary>
    void AddObserver(ILiveObserver observer);

    string? GroupOf(long login);

    /// <summary>
    /// Meant for observers, during <see cref="ILiveObserver.OnApplied"/>: the account as it stood before the batch
    /// being observed, when that batch deleted it or moved it to another group (so events can still reach those who
    /// could see it before); null otherwise.
    /// </summary>
    AccountSnapshot? BeforeBatch(long login);

    /// <summary>The registration sequence of the account instance holding <paramref name="login"/>; null when none does.</summary>
    long? RegistrationOf(long login);

    AccountSnapshot? GetAccount(long login);

    IEnumerable<AccountSnapshot> GetAccounts(GroupMask mask);

    MarginSnapshot? GetMargin(long login);

    IEnumerable<TradeRecord> GetPositions(long? login = null);

    IEnumerable<TradeRecord> GetPendingOrders(long? login = null);

    /// <summary>
    /// One page of open positions or pending orders in ticket order (indexed: no copy of every trade), of the accounts
    /// whose group passes <paramref name="groupVisible"/>, optionally one login and one symbol, with the count of all.
    /// </summary>
    TradePage GetTradePage(bool pending, long? login, string? symbol, Func<string, bool> groupVisible, int skip, int take);

    /// <summary>
    /// Exposure: open positions summed per (group, symbol) for the groups that pass <paramref name="groupVisible"/>, kept
    /// by the view as it applies the stream (the cost of a read is the number of cells, not of positions).
    /// </summary>
    IReadOnlyList<ExposureCell> GetExposure(Func<string, bool> groupVisible);

    /// <summary>An open position or pending order by ticket; closed and finance records are in the history store.</summary>
    TradeRecord? GetOpenTrade(long ticket);

    IEnumerable<SymbolConfig> GetSymbols();

    SymbolConfig? GetSymbol(string name);

    /// <summary>Last raw quote of a symbol, or the price a group sees when <paramref name="group"/> is given.</summary>
    Quote? GetQuote(string symbol, string? group = null);

    IEnumerable<SymbolGroupConfig> GetSymbolGroups();

    IEnumerable<GroupConfig> GetGroups();

    GroupConfig? GetGroup(string name);

    /// <summary>CRM desks in the order they were created.</summary>
    IEnumerable<DeskRecord> GetDesks();

    /// <summary>CRM customers in the order they were created (records carry the password hash: never send it).</summary>
    IEnumerable<CustomerRecord> GetCustomers();

    CustomerRecord? GetCustomer(long customerId);
}

/// <summary>Receives each applied batch from the live view, in order, on the view's apply task. Must not block.</summary>
public interface ILiveObserver
{
    void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events);
}
