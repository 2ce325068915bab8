using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.History;

/// <summary>
/// The audit images of the two records the round trips write most, member by member: the names and order the
/// serializer's reflection gives (declaration order, the computed members included) under the audit log's rules of
/// <see cref="AuditPolicy.Json"/> — a number that is 0, <c>false</c>, <c>null</c> and <c>""</c> are left out, enumerations
/// are always written. Every audited open and close writes a trade, every close and deposit a ledger entry, and through
/// the serializer each member costs a converter call, a predicate and, for an enumeration, a boxed value.
/// <c>AuditImageTests</c> holds these bytes to the serializer's own for records with every member set and with none.
/// </summary>
internal static class AuditRecordImage
{
    public static void Write(Utf8JsonWriter w, LedgerEntry e)
    {
        w.WriteStartObject();
        Number(w, "Id"u8, e.Id);
        Number(w, "Login"u8, e.Login);
        w.WriteNumber("Kind"u8, (int)e.Kind);
        Number(w, "Amount"u8, e.Amount);
        Number(w, "BalanceAfter"u8, e.BalanceAfter);
        Number(w, "CreditAfter"u8, e.CreditAfter);
        Number(w, "Ticket"u8, e.Ticket);
        Text(w, "Comment"u8, e.Comment);
        Number(w, "Time"u8, e.Time);
        Text(w, "IdempotencyKey"u8, e.IdempotencyKey);
        Text(w, "Reference"u8, e.Reference);
        Text(w, "Actor"u8, e.Actor);
        Number(w, "ReversesId"u8, e.ReversesId);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, TradeRecord t)
    {
        w.WriteStartObject();
        Number(w, "Ticket"u8, t.Ticket);
        Number(w, "Login"u8, t.Login);
        Text(w, "Symbol"u8, t.Symbol);
        Number(w, "Digits"u8, t.Digits);
        w.WriteNumber("Command"u8, (int)t.Command);
        Number(w, "Volume"u8, t.Volume);
        w.WriteNumber("State"u8, (int)t.State);
        Number(w, "OpenTime"u8, t.OpenTime);
        Number(w, "OpenPrice"u8, t.OpenPrice);
        Number(w, "StopLimitPrice"u8, t.StopLimitPrice);
        Number(w, "StopLoss"u8, t.StopLoss);
        Number(w, "TakeProfit"u8, t.TakeProfit);
        Number(w, "TrailingDistance"u8, t.TrailingDistance);
        w.WriteNumber("ExpirationMode"u8, (int)t.ExpirationMode);
        Number(w, "Expiration"u8, t.Expiration);
        Number(w, "CloseTime"u8, t.CloseTime);
        Number(w, "ClosePrice"u8, t.ClosePrice);
        Number(w, "Commission"u8, t.Commission);
        Number(w, "AgentCommission"u8, t.AgentCommission);
        Number(w, "Swap"u8, t.Swap);
        Number(w, "Profit"u8, t.Profit);
        Number(w, "Taxes"u8, t.Taxes);
        Number(w, "MarginInitial"u8, t.MarginInitial);
        Number(w, "MarginRate"u8, t.MarginRate);
        Number(w, "LastSwapTime"u8, t.LastSwapTime);
        Number(w, "OpenRate"u8, t.OpenRate);
        Number(w, "CloseRate"u8, t.CloseRate);
        w.WriteNumber("Reason"u8, (int)t.Reason);
        w.WriteNumber("Activation"u8, (int)t.Activation);
        Number(w, "Magic"u8, t.Magic);
        Text(w, "Comment"u8, t.Comment);
        Number(w, "ParentTicket"u8, t.ParentTicket);
        Number(w, "ClosedVolume"u8, t.ClosedVolume);
        Number(w, "ClosedByTicket"u8, t.ClosedByTicket);
        Number(w, "CloseOrderTicket"u8, t.CloseOrderTicket);
        if (t.ActivatedFrom is { } origin)
        {
            w.WriteStartObject("ActivatedFrom"u8);
            w.WriteNumber("Command"u8, (int)origin.Command);
            Number(w, "PlacedTime"u8, origin.PlacedTime);
            Number(w, "Price"u8, origin.Price);
            w.WriteEndObject();
        }
        Number(w, "UpdateTime"u8, t.UpdateTime);
        Text(w, "ChangedBy"u8, t.ChangedBy);
        Text(w, "GatewayOrder"u8, t.GatewayOrder);
        Text(w, "GatewaySource"u8, t.GatewaySource);
        Text(w, "GatewayUuid"u8, t.GatewayUuid);
        Text(w, "ApiData"u8, t.ApiData);
        Number(w, "NetProfit"u8, t.NetProfit);
        if (t.IsOpenPosition) w.WriteBoolean("IsOpenPosition"u8, true);
        if (t.IsPendingOrder) w.WriteBoolean("IsPendingOrder"u8, true);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, long value)
    {
        if (value != 0) w.WriteNumber(name, value);
    }

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, int value)
    {
        if (value != 0) w.WriteNumber(name, value);
    }

    // 0.00m is the default too: the serializer compares with default(decimal), which ignores the scale.
    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, decimal value)
    {
        if (value != 0m) w.WriteNumber(name, value);
    }

    private static void Text(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }
}
