using Dealwire.Engine.Model;

namespace Dealwire.Engine.Events;

/// <summary>Something that changed in the engine; gateways turn these into their wire formats.</summary>
public abstract record EngineEvent
{
    /// <summary>Sequence of the command that caused it (set by the engine when emitted).</summary>
    public long Sequence { get; internal set; }

    public long Time { get; internal set; }
}

public sealed record TradeEvent(RecordChange Change, TradeRecord Trade) : EngineEvent;

public sealed record AccountEvent(RecordChange Change, AccountSnapshot Account) : EngineEvent;

/// <summary>Balance or credit changed: the ledger entry and the account's money after it.</summary>
public sealed record BalanceEvent(LedgerEntry Entry, MarginSnapshot Margin) : EngineEvent;

/// <summary>An account crossed into margin call or stop-out (or back to normal).</summary>
public sealed record MarginLevelEvent(MarginSnapshot Margin, MarginLevelType Previous) : EngineEvent;

public sealed record SymbolEvent(RecordChange Change, SymbolConfig Symbol) : EngineEvent;

public sealed record SymbolGroupEvent(RecordChange Change, SymbolGroupConfig SymbolGroup) : EngineEvent;

public sealed record GroupEvent(RecordChange Change, GroupConfig Group) : EngineEvent;

public sealed record NotificationEvent(Notification Notification) : EngineEvent;

/// <summary>A CRM desk created or changed.</summary>
public sealed record DeskEvent(RecordChange Change, DeskRecord Desk) : EngineEvent;

/// <summary>A CRM customer created or changed (the record carries the password hash: projections drop it).</summary>
public sealed record CustomerEvent(RecordChange Change, CustomerRecord Customer) : EngineEvent;

/// <summary>A server-side activation (pending order, stop-limit) that was refused, with the reason.</summary>
public sealed record ActivationRejectedEvent(TradeRecord Order, ReturnCode Code, string Message) : EngineEvent;
