using System.Text.Json;
using Dealwire.Engine.Commands;

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
                Open(w, Names.TradeOpen);
                AuditRecordImage.Number(w, Names.Login, c.Login);
                AuditRecordImage.Text(w, Names.Symbol, c.Symbol);
                w.WriteNumber(Names.Side, (int)c.Side);
                AuditRecordImage.Number(w, Names.Volume, c.Volume);
                AuditRecordImage.Text(w, Names.IdempotencyKey, c.IdempotencyKey);
                AuditRecordImage.Number(w, Names.StopLoss, c.StopLoss);
                AuditRecordImage.Number(w, Names.TakeProfit, c.TakeProfit);
                AuditRecordImage.Number(w, Names.Price, c.Price);
                AuditRecordImage.Number(w, Names.OpenTime, c.OpenTime);
                AuditRecordImage.Text(w, Names.Comment, c.Comment);
                AuditRecordImage.Number(w, Names.Magic, c.Magic);
                w.WriteNumber(Names.Reason, (int)c.Reason);
                Flag(w, Names.Force, c.Force);
                AuditRecordImage.Text(w, Names.ApiData, c.ApiData);
                break;
            case ClosePosition c:
                Open(w, Names.TradeClose);
                AuditRecordImage.Number(w, Names.Login, c.Login);
                AuditRecordImage.Number(w, Names.Ticket, c.Ticket);
                AuditRecordImage.Text(w, Names.IdempotencyKey, c.IdempotencyKey);
                AuditRecordImage.Number(w, Names.Volume, c.Volume);
                AuditRecordImage.Number(w, Names.Price, c.Price);
                AuditRecordImage.Number(w, Names.CloseTime, c.CloseTime);
                AuditRecordImage.Text(w, Names.Comment, c.Comment);
                Flag(w, Names.Force, c.Force);
                break;
            case PostLedger c:
                Open(w, Names.LedgerPost);
                AuditRecordImage.Number(w, Names.Login, c.Login);
                w.WriteNumber(Names.Kind, (int)c.Kind);
                AuditRecordImage.Number(w, Names.Amount, c.Amount);
                AuditRecordImage.Text(w, Names.Comment, c.Comment);
                AuditRecordImage.Text(w, Names.IdempotencyKey, c.IdempotencyKey);
                AuditRecordImage.Text(w, Names.Reference, c.Reference);
                Flag(w, Names.Force, c.Force);
                break;
            default:
                return false;
        }
        AuditRecordImage.Number(w, Names.Sequence, command.Sequence);
        AuditRecordImage.Number(w, Names.Time, command.Time);
        AuditRecordImage.Text(w, Names.Actor, command.Actor);
        w.WriteEndObject();
        return true;
    }

    private static void Open(Utf8JsonWriter w, JsonEncodedText discriminator)
    {
        w.WriteStartObject();
        w.WriteString(Names.Discriminator, discriminator);
    }

    private static void Flag(Utf8JsonWriter w, JsonEncodedText name, bool value)
    {
        if (value) w.WriteBoolean(name, true);
    }

    /// <summary>The member names and discriminators, escaped once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Discriminator = JsonEncodedText.Encode("$c"u8);
        public static readonly JsonEncodedText TradeOpen = JsonEncodedText.Encode("trade.open"u8);
        public static readonly JsonEncodedText TradeClose = JsonEncodedText.Encode("trade.close"u8);
        public static readonly JsonEncodedText LedgerPost = JsonEncodedText.Encode("ledger.post"u8);
        public static readonly JsonEncodedText Login = JsonEncodedText.Encode("Login"u8);
        public static readonly JsonEncodedText Symbol = JsonEncodedText.Encode("Symbol"u8);
        public static readonly JsonEncodedText Side = JsonEncodedText.Encode("Side"u8);
        public static readonly JsonEncodedText Volume = JsonEncodedText.Encode("Volume"u8);
        public static readonly JsonEncodedText IdempotencyKey = JsonEncodedText.Encode("IdempotencyKey"u8);
        public static readonly JsonEncodedText StopLoss = JsonEncodedText.Encode("StopLoss"u8);
        public static readonly JsonEncodedText TakeProfit = JsonEncodedText.Encode("TakeProfit"u8);
        public static readonly JsonEncodedText Price = JsonEncodedText.Encode("Price"u8);
        public static readonly JsonEncodedText OpenTime = JsonEncodedText.Encode("OpenTime"u8);
        public static readonly JsonEncodedText Comment = JsonEncodedText.Encode("Comment"u8);
        public static readonly JsonEncodedText Magic = JsonEncodedText.Encode("Magic"u8);
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("Reason"u8);
        public static readonly JsonEncodedText Force = JsonEncodedText.Encode("Force"u8);
        public static readonly JsonEncodedText ApiData = JsonEncodedText.Encode("ApiData"u8);
        public static readonly JsonEncodedText Ticket = JsonEncodedText.Encode("Ticket"u8);
        public static readonly JsonEncodedText CloseTime = JsonEncodedText.Encode("CloseTime"u8);
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("Kind"u8);
        public static readonly JsonEncodedText Amount = JsonEncodedText.Encode("Amount"u8);
        public static readonly JsonEncodedText Reference = JsonEncodedText.Encode("Reference"u8);
        public static readonly JsonEncodedText Sequence = JsonEncodedText.Encode("Sequence"u8);
        public static readonly JsonEncodedText Time = JsonEncodedText.Encode("Time"u8);
        public static readonly JsonEncodedText Actor = JsonEncodedText.Encode("Actor"u8);
    }
}
