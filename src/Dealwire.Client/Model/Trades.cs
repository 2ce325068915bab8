using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dealwire.Client;

/// <summary>Trade command <c>cmd</c> (OP_*).</summary>
public enum TradeCommand
{
    /// <summary>Market buy.</summary>
    Buy = 0,
    /// <summary>Market sell.</summary>
    Sell = 1,
    /// <summary>Pending buy limit.</summary>
    BuyLimit = 2,
    /// <summary>Pending sell limit.</summary>
    SellLimit = 3,
    /// <summary>Pending buy stop.</summary>
    BuyStop = 4,
    /// <summary>Pending sell stop.</summary>
    SellStop = 5,
    /// <summary>Deposit.</summary>
    BalanceIn = 6,
    /// <summary>Credit added.</summary>
    CreditIn = 7,
    /// <summary>Withdrawal.</summary>
    BalanceOut = 8,
    /// <summary>Credit removed.</summary>
    CreditOut = 9,
    /// <summary>Pending buy stop-limit.</summary>
    BuyStopLimit = 10,
    /// <summary>Pending sell stop-limit.</summary>
    SellStopLimit = 11,
}

/// <summary>A trade record (position, pending order, closed trade or finance record) as the server sends it.</summary>
public sealed record TradeRecord : IAccountScoped, ISymbolScoped
{
    /// <summary>Ticket number.</summary>
    public long Order { get; init; }
    /// <summary>Owner account.</summary>
    public long Login { get; init; }
    /// <summary>Symbol (empty for finance records).</summary>
    public string Symbol { get; init; } = "";
    /// <summary>Price digits of the symbol.</summary>
    public int Digits { get; init; }
    /// <summary>Trade command.</summary>
    [JsonPropertyName("cmd")] public TradeCommand Command { get; init; }
    /// <summary>Volume in centi-lots (100 = 1 lot).</summary>
    public int Volume { get; init; }
    /// <summary>Trade state (TS_*: 0 open, 1 open requested, 3 closed, …).</summary>
    public int State { get; init; }
    /// <summary>Open time, Unix seconds.</summary>
    public long OpenTime { get; init; }
    /// <summary>Open price.</summary>
    public decimal OpenPrice { get; init; }
    /// <summary>Stop loss (0 = none).</summary>
    [JsonPropertyName("sl")] public decimal StopLoss { get; init; }
    /// <summary>Take profit (0 = none).</summary>
    [JsonPropertyName("tp")] public decimal TakeProfit { get; init; }
    /// <summary>Close time, Unix seconds (0 while open).</summary>
    public long CloseTime { get; init; }
    /// <summary>Close price (current price while open).</summary>
    public decimal ClosePrice { get; init; }
    /// <summary>Pending-order expiration, Unix seconds (0 = none).</summary>
    public long Expiration { get; init; }
    /// <summary>Reason code of the record (client, dealer, stop-out, …).</summary>
    public int Reason { get; init; }
    /// <summary>Commission.</summary>
    public decimal Commission { get; init; }
    /// <summary>Accumulated swap (<c>storage</c> on the wire).</summary>
    [JsonPropertyName("storage")] public decimal Swap { get; init; }
    /// <summary>Profit; the amount for finance records.</summary>
    public decimal Profit { get; init; }
    /// <summary>Free-form comment.</summary>
    public string Comment { get; init; } = "";
    /// <summary>Ticket this partial-close record was split from (0 = none).</summary>
    public long ParentOrder { get; init; }
    /// <summary>Volume already closed by partial closes.</summary>
    public int ClosedVolume { get; init; }
    /// <summary>Fields this type does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Acknowledgement of an asynchronous trade or finance command: queued, not yet executed.</summary>
public sealed record TradeAck : IAccountScoped
{
    /// <summary>Always true on success.</summary>
    public bool Accepted { get; init; }
    /// <summary>Ticket reserved for the request; correlate with <c>trade:event</c>.</summary>
    public long Order { get; init; }
    /// <summary>Request state (1 open requested, 7 close requested, 10 finance new, …).</summary>
    public int State { get; init; }
    /// <summary>Account.</summary>
    public long Login { get; init; }
    /// <summary>Symbol, when the command has one.</summary>
    public string? Symbol { get; init; }
    /// <summary>Trade command, when echoed.</summary>
    [JsonPropertyName("cmd")] public TradeCommand? Command { get; init; }
    /// <summary>Volume, when echoed.</summary>
    public int? Volume { get; init; }
    /// <summary>Signed amount, for finance commands.</summary>
    public decimal? Amount { get; init; }
    /// <summary>Fields this type does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Request of <c>MngOpenTrade</c> / <c>MngOpenTradeSync</c> (market order).</summary>
public sealed record OpenTradeRequest
{
    /// <summary>Account.</summary>
    public required long Login { get; init; }
    /// <summary><see cref="TradeCommand.Buy"/> or <see cref="TradeCommand.Sell"/>.</summary>
    [JsonPropertyName("cmd")] public required TradeCommand Command { get; init; }
    /// <summary>Volume in centi-lots (100 = 1 lot).</summary>
    public required int Volume { get; init; }
    /// <summary>Symbol.</summary>
    public required string Symbol { get; init; }
    /// <summary>Stop loss, 0 = none.</summary>
    [JsonPropertyName("sl")] public decimal StopLoss { get; init; }
    /// <summary>Take profit, 0 = none.</summary>
    [JsonPropertyName("tp")] public decimal TakeProfit { get; init; }
    /// <summary>Requested price (dealer use), <c>null</c> = market.</summary>
    public decimal? OpenPrice { get; init; }
    /// <summary>Comment.</summary>
    public string? Comment { get; init; }
}

/// <summary>Request of <c>MngOpenPendingTrade</c>.</summary>
public sealed record PendingOrderRequest
{
    /// <summary>Account.</summary>
    public required long Login { get; init; }
    /// <summary>BuyLimit, SellLimit, BuyStop or SellStop.</summary>
    [JsonPropertyName("cmd")] public required TradeCommand Command { get; init; }
    /// <summary>Volume in centi-lots.</summary>
    public required int Volume { get; init; }
    /// <summary>Symbol.</summary>
    public required string Symbol { get; init; }
    /// <summary>Activation price.</summary>
    public required decimal OpenPrice { get; init; }
    /// <summary>Stop loss, 0 = none.</summary>
    [JsonPropertyName("sl")] public decimal StopLoss { get; init; }
    /// <summary>Take profit, 0 = none.</summary>
    [JsonPropertyName("tp")] public decimal TakeProfit { get; init; }
    /// <summary>Expiration in Unix seconds, <c>null</c> = good till cancelled.</summary>
    public long? Expiration { get; init; }
    /// <summary>Comment.</summary>
    public string? Comment { get; init; }
}

/// <summary>Request of <c>MngCloseTrade</c> / <c>MngCloseTradeSync</c>.</summary>
public sealed record CloseTradeRequest
{
    /// <summary>Owner account.</summary>
    public required long Login { get; init; }
    /// <summary>Ticket to close.</summary>
    public required long Order { get; init; }
    /// <summary>Volume to close; <c>null</c> = all (a smaller volume closes partially).</summary>
    public int? Volume { get; init; }
    /// <summary>Custom close price (dealer use).</summary>
    public decimal? ClosePrice { get; init; }
    /// <summary>Comment.</summary>
    public string? Comment { get; init; }
}

/// <summary>Request of <c>MngUpdateTrade</c>: change stops or comment of a trade.</summary>
public sealed record TradeUpdateRequest
{
    /// <summary>Ticket.</summary>
    public required long Order { get; init; }
    /// <summary>Owner account.</summary>
    public required long Login { get; init; }
    /// <summary>Trade command of the trade.</summary>
    [JsonPropertyName("cmd")] public required TradeCommand Command { get; init; }
    /// <summary>New stop loss, <c>null</c> = unchanged.</summary>
    [JsonPropertyName("sl")] public decimal? StopLoss { get; init; }
    /// <summary>New take profit, <c>null</c> = unchanged.</summary>
    [JsonPropertyName("tp")] public decimal? TakeProfit { get; init; }
    /// <summary>New comment, <c>null</c> = unchanged.</summary>
    public string? Comment { get; init; }
}
