using System.Text.Json;
using Dealwire.Engine.Model;
using static Dealwire.ReadModel.History.AuditMembers;

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
        Number(w, AuditNames.Id, e.Id);
        Number(w, AuditNames.Login, e.Login);
        w.WriteNumber(AuditNames.Kind, (int)e.Kind);
        Number(w, AuditNames.Amount, e.Amount);
        Number(w, AuditNames.BalanceAfter, e.BalanceAfter);
        Number(w, AuditNames.CreditAfter, e.CreditAfter);
        Number(w, AuditNames.Ticket, e.Ticket);
        Text(w, AuditNames.Comment, e.Comment);
        Number(w, AuditNames.Time, e.Time);
        Text(w, AuditNames.IdempotencyKey, e.IdempotencyKey);
        Text(w, AuditNames.Reference, e.Reference);
        Text(w, AuditNames.Actor, e.Actor);
        Number(w, AuditNames.ReversesId, e.ReversesId);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, TradeRecord t)
    {
        w.WriteStartObject();
        Number(w, AuditNames.Ticket, t.Ticket);
        Number(w, AuditNames.Login, t.Login);
        Text(w, AuditNames.Symbol, t.Symbol);
        Number(w, AuditNames.Digits, t.Digits);
        w.WriteNumber(AuditNames.Command, (int)t.Command);
        Number(w, AuditNames.Volume, t.Volume);
        w.WriteNumber(AuditNames.State, (int)t.State);
        Number(w, AuditNames.OpenTime, t.OpenTime);
        Number(w, AuditNames.OpenPrice, t.OpenPrice);
        Number(w, AuditNames.StopLimitPrice, t.StopLimitPrice);
        Number(w, AuditNames.StopLoss, t.StopLoss);
        Number(w, AuditNames.TakeProfit, t.TakeProfit);
        Number(w, AuditNames.TrailingDistance, t.TrailingDistance);
        w.WriteNumber(AuditNames.ExpirationMode, (int)t.ExpirationMode);
        Number(w, AuditNames.Expiration, t.Expiration);
        Number(w, AuditNames.CloseTime, t.CloseTime);
        Number(w, AuditNames.ClosePrice, t.ClosePrice);
        Number(w, AuditNames.Commission, t.Commission);
        Number(w, AuditNames.AgentCommission, t.AgentCommission);
        Number(w, AuditNames.Swap, t.Swap);
        Number(w, AuditNames.Profit, t.Profit);
        Number(w, AuditNames.Taxes, t.Taxes);
        Number(w, AuditNames.MarginInitial, t.MarginInitial);
        Number(w, AuditNames.MarginRate, t.MarginRate);
        Number(w, AuditNames.LastSwapTime, t.LastSwapTime);
        Number(w, AuditNames.OpenRate, t.OpenRate);
        Number(w, AuditNames.CloseRate, t.CloseRate);
        w.WriteNumber(AuditNames.Reason, (int)t.Reason);
        w.WriteNumber(AuditNames.Activation, (int)t.Activation);
        Number(w, AuditNames.Magic, t.Magic);
        Text(w, AuditNames.Comment, t.Comment);
        Number(w, AuditNames.ParentTicket, t.ParentTicket);
        Number(w, AuditNames.ClosedVolume, t.ClosedVolume);
        Number(w, AuditNames.ClosedByTicket, t.ClosedByTicket);
        Number(w, AuditNames.CloseOrderTicket, t.CloseOrderTicket);
        if (t.ActivatedFrom is { } origin)
        {
            w.WriteStartObject(AuditNames.ActivatedFrom);
            w.WriteNumber(AuditNames.Command, (int)origin.Command);
            Number(w, AuditNames.PlacedTime, origin.PlacedTime);
            Number(w, AuditNames.Price, origin.Price);
            w.WriteEndObject();
        }
        Number(w, AuditNames.UpdateTime, t.UpdateTime);
        Text(w, AuditNames.ChangedBy, t.ChangedBy);
        Text(w, AuditNames.GatewayOrder, t.GatewayOrder);
        Text(w, AuditNames.GatewaySource, t.GatewaySource);
        Text(w, AuditNames.GatewayUuid, t.GatewayUuid);
        Text(w, AuditNames.ApiData, t.ApiData);
        Number(w, AuditNames.NetProfit, t.NetProfit);
        Flag(w, AuditNames.IsOpenPosition, t.IsOpenPosition);
        Flag(w, AuditNames.IsPendingOrder, t.IsPendingOrder);
        w.WriteEndObject();
    }
}
