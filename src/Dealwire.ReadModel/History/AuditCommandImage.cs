using System.Text.Json;
using Dealwire.Engine.Commands;
using static Dealwire.ReadModel.History.AuditMembers;

namespace Dealwire.ReadModel.History;

/// <summary>
/// The audit payloads of the three commands the round trips audit most (a manager's open, close and deposit), member by
/// member: the bytes the polymorphic serializer writes under <see cref="AuditPolicy.Json"/> — the discriminator first,
/// the command's own members in declaration order, then the journal's sequence, time and actor; a member holding its
/// default left out, enumerations always written. Through the serializer each command resolves its type's metadata and
/// calls a converter and a predicate per member. <c>AuditImageTests</c> holds these bytes to the serializer's own for
/// commands with every member set and with none.
/// </summary>
internal static class AuditCommandImage
{
    /// <summary>Writes <paramref name="command"/>'s payload when it is one of the commands written by hand; false (nothing written) otherwise.</summary>
    public static bool TryWrite(Utf8JsonWriter w, EngineCommand command)
    {
        switch (command)
        {
            case OpenPosition c:
                Open(w, AuditNames.TradeOpen);
                Number(w, AuditNames.Login, c.Login);
                Text(w, AuditNames.Symbol, c.Symbol);
                w.WriteNumber(AuditNames.Side, (int)c.Side);
                Number(w, AuditNames.Volume, c.Volume);
                Text(w, AuditNames.IdempotencyKey, c.IdempotencyKey);
                Number(w, AuditNames.StopLoss, c.StopLoss);
                Number(w, AuditNames.TakeProfit, c.TakeProfit);
                Number(w, AuditNames.Price, c.Price);
                Number(w, AuditNames.OpenTime, c.OpenTime);
                Text(w, AuditNames.Comment, c.Comment);
                Number(w, AuditNames.Magic, c.Magic);
                w.WriteNumber(AuditNames.Reason, (int)c.Reason);
                Flag(w, AuditNames.Force, c.Force);
                Text(w, AuditNames.ApiData, c.ApiData);
                break;
            case ClosePosition c:
                Open(w, AuditNames.TradeClose);
                Number(w, AuditNames.Login, c.Login);
                Number(w, AuditNames.Ticket, c.Ticket);
                Text(w, AuditNames.IdempotencyKey, c.IdempotencyKey);
                Number(w, AuditNames.Volume, c.Volume);
                Number(w, AuditNames.Price, c.Price);
                Number(w, AuditNames.CloseTime, c.CloseTime);
                Text(w, AuditNames.Comment, c.Comment);
                Flag(w, AuditNames.Force, c.Force);
                break;
            case PostLedger c:
                Open(w, AuditNames.LedgerPost);
                Number(w, AuditNames.Login, c.Login);
                w.WriteNumber(AuditNames.Kind, (int)c.Kind);
                Number(w, AuditNames.Amount, c.Amount);
                Text(w, AuditNames.Comment, c.Comment);
                Text(w, AuditNames.IdempotencyKey, c.IdempotencyKey);
                Text(w, AuditNames.Reference, c.Reference);
                Flag(w, AuditNames.Force, c.Force);
                break;
            default:
                return false;
        }
        Number(w, AuditNames.Sequence, command.Sequence);
        Number(w, AuditNames.Time, command.Time);
        Text(w, AuditNames.Actor, command.Actor);
        w.WriteEndObject();
        return true;
    }

    private static void Open(Utf8JsonWriter w, JsonEncodedText discriminator)
    {
        w.WriteStartObject();
        w.WriteString(AuditNames.Discriminator, discriminator);
    }
}
