namespace Dealwire.Engine.Model;

/// <summary>
/// An order, position, closed deal or finance operation as the outside world sees it at one moment.
/// The engine hands out these immutable copies; it keeps its own mutable state.
/// </summary>
public sealed record TradeRecord
{
    public long Ticket { get; init; }
    public long Login { get; init; }
    public string Symbol { get; init; } = "";
    public int Digits { get; init; }
    public TradeCommand Command { get; init; }
    /// <summary>Centi-lots (100 = 1 lot). For a partial-close record, the volume closed.</summary>
    public int Volume { get; init; }
    public TradeState State { get; init; }
    public long OpenTime { get; init; }
    public decimal OpenPrice { get; init; }
    /// <summary>For stop-limit orders: the limit price placed when <see cref="OpenPrice"/> (the stop) is hit.</summary>
    public decimal StopLimitPrice { get; init; }
    public decimal StopLoss { get; init; }
    public decimal TakeProfit { get; init; }
    /// <summary>Trailing stop distance in points; 0 = none.</summary>
    public int TrailingDistance { get; init; }
    public ExpirationMode ExpirationMode { get; init; }
    public long Expiration { get; init; }
    public long CloseTime { get; init; }
    public decimal ClosePrice { get; init; }
    public decimal Commission { get; init; }
    public decimal AgentCommission { get; init; }
    public decimal Swap { get; init; }
    /// <summary>Profit in account currency: floating for open positions, realised when closed, the amount for finance records.</summary>
    public decimal Profit { get; init; }
    public decimal Taxes { get; init; }
    /// <summary>Margin reserved at open, account currency.</summary>
    public decimal MarginInitial { get; init; }
    /// <summary>Margin-currency → account-currency rate at open (MarginInitial's conversion); 0 for orders and finance records.</summary>
    public decimal MarginRate { get; init; }
    /// <summary>The last rollover that booked swap on the position (engine ms); 0 when none has.</summary>
    public long LastSwapTime { get; init; }
    /// <summary>Profit-currency → account-currency rate at open and at close.</summary>
    public decimal OpenRate { get; init; } = 1m;
    public decimal CloseRate { get; init; } = 1m;
    public TradeReason Reason { get; init; }
    public Activation Activation { get; init; }
    public long Magic { get; init; }
    public string Comment { get; init; } = "";
    /// <summary>For partial-close records: the position they were cut from.</summary>
    public long ParentTicket { get; init; }
    /// <summary>Volume already closed off this position by partial closes.</summary>
    public int ClosedVolume { get; init; }
    /// <summary>For close-by: the opposite position.</summary>
    public long ClosedByTicket { get; init; }
    /// <summary>
    /// For a close record: the ticket of the order that closed the position, drawn from the ticket sequence
    /// when it closed (a partial close's own record ticket), so it is unique and the same on every replay.
    /// 0 on records closed before this number was kept.
    /// </summary>
    public long CloseOrderTicket { get; init; }
    /// <summary>For a position opened by activating a pending order: that order as it was placed; null for a market deal.</summary>
    public PendingOrigin? ActivatedFrom { get; init; }
    public long UpdateTime { get; init; }
    /// <summary>Who last changed the record (audit), e.g. "manager:7".</summary>
    public string ChangedBy { get; init; } = "";
    public string GatewayOrder { get; init; } = "";
    public string GatewaySource { get; init; } = "";
    public string GatewayUuid { get; init; } = "";
    public string ApiData { get; init; } = "";

    public decimal NetProfit => Profit + Commission + Swap;

    public bool IsOpenPosition => Command.IsMarket() && State is TradeState.OpenNormal or TradeState.OpenRestored;

    public bool IsPendingOrder => Command.IsPending() && State is TradeState.OpenNormal;
}

/// <summary>
/// The pending order a position was activated from, as the client placed it: its type (buy limit, sell
/// stop, …), placement time and requested price. The position itself carries the fill.
/// </summary>
public sealed record PendingOrigin(TradeCommand Command, long PlacedTime, decimal Price);
