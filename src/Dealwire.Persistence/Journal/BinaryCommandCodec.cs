using System.Reflection;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Persistence.IO;

namespace Dealwire.Persistence.Journal;

/// <summary>
/// Compact binary encoding of the commands that dominate a journal: ticks, deposits/withdrawals, opens and
/// closes. Each payload starts with a tag byte; tag 0 means "JSON follows" (every other command, and any hot
/// command whose shape this build does not know). Sequence is not repeated: it is in the record header.
/// <code>
/// common   = time varint | actor string
/// tick     = 1 | common | symbol string | bid decimal | ask decimal | quoteTime − time zig-zag
/// ledger   = 5 | common | login zig-zag | kind zig-zag | amount decimal | comment string | idempotencyKey string | force u8 | reference string
/// open     = 6 | common | login | symbol | side | volume | stopLoss | takeProfit | price | openTime | comment | magic | reason | force | apiData | idempotencyKey
/// close    = 7 | common | login | ticket | volume | price | closeTime | comment | force | idempotencyKey
/// </code>
/// Tags 2, 3 and 4 are the first versions of ledger, open and close (without the reference and the
/// idempotency keys of opens and closes): still read, no longer written. A layout never changes under its
/// tag; a new field means a new tag, so every journal ever written stays readable.
/// </summary>
internal static class BinaryCommandCodec
{
    public const byte JsonTag = 0;
    private const byte TickTag = 1;
    private const byte LedgerV1Tag = 2;
    private const byte OpenV1Tag = 3;
    private const byte CloseV1Tag = 4;
    private const byte LedgerTag = 5;
    private const byte OpenTag = 6;
    private const byte CloseTag = 7;

    /// <summary>
    /// The properties each binary layout carries. If the engine adds a property to one of these commands, the
    /// check below fails and that command falls back to JSON instead of silently losing the new field
    /// (a test asserts all four stay binary, so the layout gets extended under a new tag).
    /// </summary>
    private static readonly Dictionary<Type, string[]> Layouts = new()
    {
        [typeof(ApplyTick)] = ["Sequence", "Time", "Actor", "Symbol", "Bid", "Ask", "QuoteTime"],
        [typeof(PostLedger)] = ["Sequence", "Time", "Actor", "Login", "Kind", "Amount", "Comment", "IdempotencyKey", "Force", "Reference"],
        [typeof(OpenPosition)] = ["Sequence", "Time", "Actor", "Login", "Symbol", "Side", "Volume", "StopLoss", "TakeProfit", "Price", "OpenTime", "Comment", "Magic", "Reason", "Force", "ApiData", "IdempotencyKey"],
        [typeof(ClosePosition)] = ["Sequence", "Time", "Actor", "Login", "Ticket", "Volume", "Price", "CloseTime", "Comment", "Force", "IdempotencyKey"],
    };

    private static readonly bool TickBinary = LayoutMatches(typeof(ApplyTick));
    private static readonly bool LedgerBinary = LayoutMatches(typeof(PostLedger));
    private static readonly bool OpenBinary = LayoutMatches(typeof(OpenPosition));
    private static readonly bool CloseBinary = LayoutMatches(typeof(ClosePosition));

    /// <summary>Command types this build encodes in binary (the others go as tagged JSON).</summary>
    public static IEnumerable<Type> BinaryTypes => Layouts.Keys.Where(LayoutMatches);

    public static void Write(EngineCommand command, RecordBuffer output)
    {
        switch (command)
        {
            case ApplyTick tick when TickBinary:
                Common(output, TickTag, tick);
                PayloadWriter.String(output, tick.Symbol);
                PayloadWriter.Decimal(output, tick.Bid);
                PayloadWriter.Decimal(output, tick.Ask);
                PayloadWriter.VarInt(output, unchecked(tick.QuoteTime - tick.Time)); // a feed's time is close to engine time
                break;
            case PostLedger ledger when LedgerBinary:
                Common(output, LedgerTag, ledger);
                PayloadWriter.VarInt(output, ledger.Login);
                PayloadWriter.VarInt(output, (int)ledger.Kind);
                PayloadWriter.Decimal(output, ledger.Amount);
                PayloadWriter.String(output, ledger.Comment);
                PayloadWriter.String(output, ledger.IdempotencyKey);
                PayloadWriter.Byte(output, ledger.Force ? (byte)1 : (byte)0);
                PayloadWriter.String(output, ledger.Reference);
                break;
            case OpenPosition open when OpenBinary:
                Common(output, OpenTag, open);
                PayloadWriter.VarInt(output, open.Login);
                PayloadWriter.String(output, open.Symbol);
                PayloadWriter.VarInt(output, (int)open.Side);
                PayloadWriter.VarInt(output, open.Volume);
                PayloadWriter.Decimal(output, open.StopLoss);
                PayloadWriter.Decimal(output, open.TakeProfit);
                PayloadWriter.Decimal(output, open.Price);
                PayloadWriter.VarInt(output, open.OpenTime);
                PayloadWriter.String(output, open.Comment);
                PayloadWriter.VarInt(output, open.Magic);
                PayloadWriter.VarInt(output, (int)open.Reason);
                PayloadWriter.Byte(output, open.Force ? (byte)1 : (byte)0);
                PayloadWriter.String(output, open.ApiData);
                PayloadWriter.String(output, open.IdempotencyKey);
                break;
            case ClosePosition close when CloseBinary:
                Common(output, CloseTag, close);
                PayloadWriter.VarInt(output, close.Login);
                PayloadWriter.VarInt(output, close.Ticket);
                PayloadWriter.VarInt(output, close.Volume);
                PayloadWriter.Decimal(output, close.Price);
                PayloadWriter.VarInt(output, close.CloseTime);
                PayloadWriter.String(output, close.Comment);
                PayloadWriter.Byte(output, close.Force ? (byte)1 : (byte)0);
                PayloadWriter.String(output, close.IdempotencyKey);
                break;
            default:
                PayloadWriter.Byte(output, JsonTag);
                CommandCodec.WriteJson(command, output);
                break;
        }
    }

    /// <summary>Decodes a tagged payload; <paramref name="sequence"/> comes from the record header.</summary>
    public static EngineCommand Read(long sequence, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) throw new FormatException("The payload is empty.");
        if (payload[0] == JsonTag) return CommandCodec.ReadJson(payload[1..]);

        var reader = new PayloadReader(payload);
        var tag = reader.Byte();
        var time = reader.VarInt();
        var actor = reader.NonNullString();
        EngineCommand command = tag switch
        {
            TickTag => ReadTick(ref reader, time, actor),
            LedgerV1Tag or LedgerTag => ReadLedger(ref reader, actor, tag == LedgerTag),
            OpenV1Tag or OpenTag => ReadOpen(ref reader, actor, tag == OpenTag),
            CloseV1Tag or CloseTag => ReadClose(ref reader, actor, tag == CloseTag),
            _ => throw new FormatException($"Unknown binary command tag {tag}."),
        };
        if (!reader.AtEnd) throw new FormatException("The payload has bytes after the command.");
        command.Stamp(sequence, time);
        return command;
    }

    // Fields are read into locals in layout order so the command is built once (no `with` copy per record).
    private static PostLedger ReadLedger(ref PayloadReader reader, string actor, bool withReference)
    {
        var login = reader.VarInt();
        var kind = Enum<LedgerKind>(reader.Int32());
        var amount = reader.Decimal();
        var comment = reader.NonNullString();
        var key = reader.String();
        var force = reader.Boolean();
        var reference = withReference ? reader.String() : null;
        return new PostLedger(login, kind, amount) { Actor = actor, Comment = comment, IdempotencyKey = key, Force = force, Reference = reference };
    }

    private static OpenPosition ReadOpen(ref PayloadReader reader, string actor, bool withKey)
    {
        var login = reader.VarInt();
        var symbol = reader.NonNullString();
        var side = Enum<TradeCommand>(reader.Int32());
        var volume = reader.Int32();
        var stopLoss = reader.Decimal();
        var takeProfit = reader.Decimal();
        var price = reader.Decimal();
        var openTime = reader.VarInt();
        var comment = reader.NonNullString();
        var magic = reader.VarInt();
        var reason = Enum<TradeReason>(reader.Int32());
        var force = reader.Boolean();
        var apiData = reader.NonNullString();
        var key = withKey ? reader.String() : null;
        return new OpenPosition(login, symbol, side, volume)
        {
            Actor = actor,
            StopLoss = stopLoss,
            TakeProfit = takeProfit,
            Price = price,
            OpenTime = openTime,
            Comment = comment,
            Magic = magic,
            Reason = reason,
            Force = force,
            ApiData = apiData,
            IdempotencyKey = key,
        };
    }

    private static ClosePosition ReadClose(ref PayloadReader reader, string actor, bool withKey)
    {
        var login = reader.VarInt();
        var ticket = reader.VarInt();
        var volume = reader.Int32();
        var price = reader.Decimal();
        var closeTime = reader.VarInt();
        var comment = reader.NonNullString();
        var force = reader.Boolean();
        var key = withKey ? reader.String() : null;
        return new ClosePosition(login, ticket)
        {
            Actor = actor,
            Volume = volume,
            Price = price,
            CloseTime = closeTime,
            Comment = comment,
            Force = force,
            IdempotencyKey = key,
        };
    }

    private static ApplyTick ReadTick(ref PayloadReader reader, long time, string actor)
    {
        var symbol = reader.NonNullString();
        var bid = reader.Decimal();
        var ask = reader.Decimal();
        var quoteTime = unchecked(time + reader.VarInt());
        return new ApplyTick(symbol, bid, ask, quoteTime) { Actor = actor };
    }

    private static void Common(RecordBuffer output, byte tag, EngineCommand command)
    {
        PayloadWriter.Byte(output, tag);
        PayloadWriter.VarInt(output, command.Time);
        PayloadWriter.String(output, command.Actor);
    }

    /// <summary>Enums travel as numbers, like in the JSON codec: replay, not the codec, judges the value.</summary>
    private static T Enum<T>(int value) where T : struct, Enum => System.Runtime.CompilerServices.Unsafe.As<int, T>(ref value);

    private static bool LayoutMatches(Type type)
    {
        var actual = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return actual.SetEquals(Layouts[type]);
    }
}
