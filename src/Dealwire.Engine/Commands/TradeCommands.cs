using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

/// <summary>
/// Open a market position. Price 0 = the market (buy at ask, sell at bid of the account's group);
/// a price (dealer operation) fills at that price. OpenTime 0 = now.
/// </summary>
public sealed record OpenPosition(long Login, string Symbol, TradeCommand Side, int Volume) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public decimal StopLoss { get; init; }
    public decimal TakeProfit { get; init; }
    public decimal Price { get; init; }
    public long OpenTime { get; init; }
    public string Comment { get; init; } = "";
    public long Magic { get; init; }
    public TradeReason Reason { get; init; } = TradeReason.Api;
    /// <summary>Skip margin and session checks (dealer operation).</summary>
    public bool Force { get; init; }
    /// <summary>Free data of the caller (e.g. a manager application), stored on the position.</summary>
    public string ApiData { get; init; } = "";
}

/// <summary>Close a position fully (Volume 0 or the whole volume) or partially.</summary>
public sealed record ClosePosition(long Login, long Ticket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public int Volume { get; init; }
    public decimal Price { get; init; }
    public long CloseTime { get; init; }
    public string Comment { get; init; } = "";
    public bool Force { get; init; }
}

/// <summary>Close a position by an opposite position of the same account and symbol.</summary>
public sealed record CloseBy(long Login, long Ticket, long OppositeTicket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>Change stop loss, take profit and trailing distance of an open position.</summary>
public sealed record ModifyPosition(long Login, long Ticket, decimal StopLoss, decimal TakeProfit) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public int TrailingDistance { get; init; }
}

/// <summary>Place a pending order (limit, stop or stop-limit).</summary>
public sealed record PlacePendingOrder(long Login, string Symbol, TradeCommand Type, int Volume, decimal Price) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>For stop-limit types: the limit price placed when <see cref="Price"/> is reached.</summary>
    public decimal StopLimitPrice { get; init; }
    public decimal StopLoss { get; init; }
    public decimal TakeProfit { get; init; }
    public ExpirationMode ExpirationMode { get; init; }
    public long Expiration { get; init; }
    public string Comment { get; init; } = "";
    public long Magic { get; init; }
    public TradeReason Reason { get; init; } = TradeReason.Api;
    /// <summary>Free data of the caller (e.g. a manager application), stored on the order and the position it becomes.</summary>
    public string ApiData { get; init; } = "";
}

/// <summary>Change a pending order; null keeps the current value.</summary>
public sealed record ModifyPendingOrder(long Login, long Ticket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public decimal? Price { get; init; }
    public decimal? StopLimitPrice { get; init; }
    public int? Volume { get; init; }
    public decimal? StopLoss { get; init; }
    public decimal? TakeProfit { get; init; }
    public ExpirationMode? ExpirationMode { get; init; }
    public long? Expiration { get; init; }
    public string? Comment { get; init; }
    public string? ApiData { get; init; }
}

/// <summary>Cancel a pending order.</summary>
public sealed record CancelPendingOrder(long Login, long Ticket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>Manager edit of an open position or a closed deal; null keeps the current value.</summary>
public sealed record EditTrade(long Ticket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public decimal? StopLoss { get; init; }
    public decimal? TakeProfit { get; init; }
    public decimal? OpenPrice { get; init; }
    public long? OpenTime { get; init; }
    public decimal? ClosePrice { get; init; }
    public long? CloseTime { get; init; }
    public decimal? Commission { get; init; }
    public decimal? Swap { get; init; }
    public decimal? Profit { get; init; }
    public long? Expiration { get; init; }
    public string? Comment { get; init; }
    public string? ApiData { get; init; }
    /// <summary>
    /// For a closed deal: its record as the gateway read it from the history store (the engine keeps no closed
    /// deals). Journaled with the command, so a replay applies exactly what the live engine did; the engine
    /// prefers its own copy of a deal it has edited, deleted or restored since (see TradingEngine.ClosedDeals).
    /// Not part of the request (a retry may carry a later read of the same deal).
    /// </summary>
    public TradeRecord? Closed { get; init; }
}

/// <summary>Delete a closed deal from history, reversing its money.</summary>
public sealed record DeleteTrade(long Ticket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>
    /// For a closed deal: its record as the gateway read it from the history store (the engine keeps no closed
    /// deals). Journaled with the command, so a replay applies exactly what the live engine did; the engine
    /// prefers its own copy of a deal it has edited, deleted or restored since (see TradingEngine.ClosedDeals).
    /// Not part of the request (a retry may carry a later read of the same deal).
    /// </summary>
    public TradeRecord? Closed { get; init; }
}

/// <summary>Bring a deleted or closed deal back (re-open a closed position).</summary>
public sealed record RestoreTrade(long Ticket) : EngineCommand<TradeRecord>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>
    /// For a closed deal: its record as the gateway read it from the history store (the engine keeps no closed
    /// deals). Journaled with the command, so a replay applies exactly what the live engine did; the engine
    /// prefers its own copy of a deal it has edited, deleted or restored since (see TradingEngine.ClosedDeals).
    /// Not part of the request (a retry may carry a later read of the same deal).
    /// </summary>
    public TradeRecord? Closed { get; init; }
}
