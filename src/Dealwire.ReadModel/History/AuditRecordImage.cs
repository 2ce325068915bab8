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
        Number(w, Names.Id, e.Id);
        Number(w, Names.Login, e.Login);
        w.WriteNumber(Names.Kind, (int)e.Kind);
        Number(w, Names.Amount, e.Amount);
        Number(w, Names.BalanceAfter, e.BalanceAfter);
        Number(w, Names.CreditAfter, e.CreditAfter);
        Number(w, Names.Ticket, e.Ticket);
        Text(w, Names.Comment, e.Comment);
        Number(w, Names.Time, e.Time);
        Text(w, Names.IdempotencyKey, e.IdempotencyKey);
        Text(w, Names.Reference, e.Reference);
        Text(w, Names.Actor, e.Actor);
        Number(w, Names.ReversesId, e.ReversesId);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, TradeRecord t)
    {
        w.WriteStartObject();
        Number(w, Names.Ticket, t.Ticket);
        Number(w, Names.Login, t.Login);
        Text(w, Names.Symbol, t.Symbol);
        Number(w, Names.Digits, t.Digits);
        w.WriteNumber(Names.Command, (int)t.Command);
        Number(w, Names.Volume, t.Volume);
        w.WriteNumber(Names.State, (int)t.State);
        Number(w, Names.OpenTime, t.OpenTime);
        Number(w, Names.OpenPrice, t.OpenPrice);
        Number(w, Names.StopLimitPrice, t.StopLimitPrice);
        Number(w, Names.StopLoss, t.StopLoss);
        Number(w, Names.TakeProfit, t.TakeProfit);
        Number(w, Names.TrailingDistance, t.TrailingDistance);
        w.WriteNumber(Names.ExpirationMode, (int)t.ExpirationMode);
        Number(w, Names.Expiration, t.Expiration);
        Number(w, Names.CloseTime, t.CloseTime);
        Number(w, Names.ClosePrice, t.ClosePrice);
        Number(w, Names.Commission, t.Commission);
        Number(w, Names.AgentCommission, t.AgentCommission);
        Number(w, Names.Swap, t.Swap);
        Number(w, Names.Profit, t.Profit);
        Number(w, Names.Taxes, t.Taxes);
        Number(w, Names.MarginInitial, t.MarginInitial);
        Number(w, Names.MarginRate, t.MarginRate);
        Number(w, Names.LastSwapTime, t.LastSwapTime);
        Number(w, Names.OpenRate, t.OpenRate);
        Number(w, Names.CloseRate, t.CloseRate);
        w.WriteNumber(Names.Reason, (int)t.Reason);
        w.WriteNumber(Names.Activation, (int)t.Activation);
        Number(w, Names.Magic, t.Magic);
        Text(w, Names.Comment, t.Comment);
        Number(w, Names.ParentTicket, t.ParentTicket);
        Number(w, Names.ClosedVolume, t.ClosedVolume);
        Number(w, Names.ClosedByTicket, t.ClosedByTicket);
        Number(w, Names.CloseOrderTicket, t.CloseOrderTicket);
        if (t.ActivatedFrom is { } origin)
        {
            w.WriteStartObject(Names.ActivatedFrom);
            w.WriteNumber(Names.Command, (int)origin.Command);
            Number(w, Names.PlacedTime, origin.PlacedTime);
            Number(w, Names.Price, origin.Price);
            w.WriteEndObject();
        }
        Number(w, Names.UpdateTime, t.UpdateTime);
        Text(w, Names.ChangedBy, t.ChangedBy);
        Text(w, Names.GatewayOrder, t.GatewayOrder);
        Text(w, Names.GatewaySource, t.GatewaySource);
        Text(w, Names.GatewayUuid, t.GatewayUuid);
        Text(w, Names.ApiData, t.ApiData);
        Number(w, Names.NetProfit, t.NetProfit);
        if (t.IsOpenPosition) w.WriteBoolean(Names.IsOpenPosition, true);
        if (t.IsPendingOrder) w.WriteBoolean(Names.IsPendingOrder, true);
        w.WriteEndObject();
    }

    /// <summary>The member names, escaped once (a name given as a span is checked for characters to escape on every write).</summary>
    private static class Names
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
    }

    internal static void Number(Utf8JsonWriter w, JsonEncodedText name, long value)
    {
        if (value != 0) w.WriteNumber(name, value);
    }

    internal static void Number(Utf8JsonWriter w, JsonEncodedText name, int value)
    {
        if (value != 0) w.WriteNumber(name, value);
    }

    // 0.00m is the default too: the serializer compares with default(decimal), which ignores the scale.
    internal static void Number(Utf8JsonWriter w, JsonEncodedText name, decimal value)
    {
        if (value != 0m) w.WriteNumber(name, value);
    }

    internal static void Text(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }
}
