using System.Text.Json;

namespace Dealwire.ReadModel.History;

/// <summary>
/// The member names and discriminators the audit images written by hand use (<see cref="AuditRecordImage"/>,
/// <see cref="AuditCommandImage"/>), escaped once: a name given as a span is checked for characters to escape on every
/// write.
/// </summary>
internal static class AuditNames
{
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("Id"u8);
    public static readonly JsonEncodedText Login = JsonEncodedText.Encode("Login"u8);
    public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("Kind"u8);
    public static readonly JsonEncodedText Amount = JsonEncodedText.Encode("Amount"u8);
    public static readonly JsonEncodedText BalanceAfter = JsonEncodedText.Encode("BalanceAfter"u8);
    public static readonly JsonEncodedText CreditAfter = JsonEncodedText.Encode("CreditAfter"u8);
    public static readonly JsonEncodedText Ticket = JsonEncodedText.Encode("Ticket"u8);
    public static readonly JsonEncodedText Comment = JsonEncodedText.Encode("Comment"u8);
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("Time"u8);
    public static readonly JsonEncodedText IdempotencyKey = JsonEncodedText.Encode("IdempotencyKey"u8);
    public static readonly JsonEncodedText Reference = JsonEncodedText.Encode("Reference"u8);
    public static readonly JsonEncodedText Actor = JsonEncodedText.Encode("Actor"u8);
    public static readonly JsonEncodedText ReversesId = JsonEncodedText.Encode("ReversesId"u8);
    public static readonly JsonEncodedText Symbol = JsonEncodedText.Encode("Symbol"u8);
    public static readonly JsonEncodedText Digits = JsonEncodedText.Encode("Digits"u8);
    public static readonly JsonEncodedText Command = JsonEncodedText.Encode("Command"u8);
    public static readonly JsonEncodedText Volume = JsonEncodedText.Encode("Volume"u8);
    public static readonly JsonEncodedText State = JsonEncodedText.Encode("State"u8);
    public static readonly JsonEncodedText OpenTime = JsonEncodedText.Encode("OpenTime"u8);
    public static readonly JsonEncodedText OpenPrice = JsonEncodedText.Encode("OpenPrice"u8);
    public static readonly JsonEncodedText StopLimitPrice = JsonEncodedText.Encode("StopLimitPrice"u8);
    public static readonly JsonEncodedText StopLoss = JsonEncodedText.Encode("StopLoss"u8);
    public static readonly JsonEncodedText TakeProfit = JsonEncodedText.Encode("TakeProfit"u8);
    public static readonly JsonEncodedText TrailingDistance = JsonEncodedText.Encode("TrailingDistance"u8);
    public static readonly JsonEncodedText ExpirationMode = JsonEncodedText.Encode("ExpirationMode"u8);
    public static readonly JsonEncodedText Expiration = JsonEncodedText.Encode("Expiration"u8);
    public static readonly JsonEncodedText CloseTime = JsonEncodedText.Encode("CloseTime"u8);
    public static readonly JsonEncodedText ClosePrice = JsonEncodedText.Encode("ClosePrice"u8);
    public static readonly JsonEncodedText Commission = JsonEncodedText.Encode("Commission"u8);
    public static readonly JsonEncodedText AgentCommission = JsonEncodedText.Encode("AgentCommission"u8);
    public static readonly JsonEncodedText Swap = JsonEncodedText.Encode("Swap"u8);
    public static readonly JsonEncodedText Profit = JsonEncodedText.Encode("Profit"u8);
    public static readonly JsonEncodedText Taxes = JsonEncodedText.Encode("Taxes"u8);
    public static readonly JsonEncodedText MarginInitial = JsonEncodedText.Encode("MarginInitial"u8);
    public static readonly JsonEncodedText MarginRate = JsonEncodedText.Encode("MarginRate"u8);
    public static readonly JsonEncodedText LastSwapTime = JsonEncodedText.Encode("LastSwapTime"u8);
    public static readonly JsonEncodedText OpenRate = JsonEncodedText.Encode("OpenRate"u8);
    public static readonly JsonEncodedText CloseRate = JsonEncodedText.Encode("CloseRate"u8);
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("Reason"u8);
    public static readonly JsonEncodedText Activation = JsonEncodedText.Encode("Activation"u8);
    public static readonly JsonEncodedText Magic = JsonEncodedText.Encode("Magic"u8);
    public static readonly JsonEncodedText ParentTicket = JsonEncodedText.Encode("ParentTicket"u8);
    public static readonly JsonEncodedText ClosedVolume = JsonEncodedText.Encode("ClosedVolume"u8);
    public static readonly JsonEncodedText ClosedByTicket = JsonEncodedText.Encode("ClosedByTicket"u8);
    public static readonly JsonEncodedText CloseOrderTicket = JsonEncodedText.Encode("CloseOrderTicket"u8);
    public static readonly JsonEncodedText ActivatedFrom = JsonEncodedText.Encode("ActivatedFrom"u8);
    public static readonly JsonEncodedText PlacedTime = JsonEncodedText.Encode("PlacedTime"u8);
    public static readonly JsonEncodedText Price = JsonEncodedText.Encode("Price"u8);
    public static readonly JsonEncodedText UpdateTime = JsonEncodedText.Encode("UpdateTime"u8);
    public static readonly JsonEncodedText ChangedBy = JsonEncodedText.Encode("ChangedBy"u8);
    public static readonly JsonEncodedText GatewayOrder = JsonEncodedText.Encode("GatewayOrder"u8);
    public static readonly JsonEncodedText GatewaySource = JsonEncodedText.Encode("GatewaySource"u8);
    public static readonly JsonEncodedText GatewayUuid = JsonEncodedText.Encode("GatewayUuid"u8);
    public static readonly JsonEncodedText ApiData = JsonEncodedText.Encode("ApiData"u8);
    public static readonly JsonEncodedText NetProfit = JsonEncodedText.Encode("NetProfit"u8);
    public static readonly JsonEncodedText IsOpenPosition = JsonEncodedText.Encode("IsOpenPosition"u8);
    public static readonly JsonEncodedText IsPendingOrder = JsonEncodedText.Encode("IsPendingOrder"u8);
    public static readonly JsonEncodedText Discriminator = JsonEncodedText.Encode("$c"u8);
    public static readonly JsonEncodedText TradeOpen = JsonEncodedText.Encode("trade.open"u8);
    public static readonly JsonEncodedText TradeClose = JsonEncodedText.Encode("trade.close"u8);
    public static readonly JsonEncodedText LedgerPost = JsonEncodedText.Encode("ledger.post"u8);
    public static readonly JsonEncodedText Side = JsonEncodedText.Encode("Side"u8);
    public static readonly JsonEncodedText Force = JsonEncodedText.Encode("Force"u8);
    public static readonly JsonEncodedText Sequence = JsonEncodedText.Encode("Sequence"u8);
}
