using System.Buffers;
using System.Text.Json;

namespace Dealwire.Client.Protocol;

/// <summary>The kinds of server lines, classified in the order of scaletrade-tcp §1.1.</summary>
internal enum InboundKind
{
    Quote,
    Notification,
    SymbolReindex,
    SymbolGroupReindex,
    Event,
    Response,
    Unknown,
    Malformed,
}

/// <summary>Classifies and decodes one server line. Quote ticks take an allocation-free path.</summary>
internal static class InboundParser
{
    public static InboundKind Classify(in ReadOnlySequence<byte> line, SymbolNameCache symbols, out Quote quote, out JsonElement message)
    {
        message = default;
        if (TryReadQuote(line, symbols, out quote)) return InboundKind.Quote;
        try
        {
            var reader = new Utf8JsonReader(line);
            message = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return InboundKind.Malformed;
        }
        if (message.ValueKind == JsonValueKind.Array)
        {
            var length = message.GetArrayLength();
            if (length == 0 || message[0].ValueKind != JsonValueKind.String) return InboundKind.Unknown;
            return message[0].GetString() switch
            {
                "n" when length >= 8 => InboundKind.Notification,
                "sr" when length == 2 => InboundKind.SymbolReindex,
                "sc" when length == 2 => InboundKind.SymbolGroupReindex,
                _ => InboundKind.Unknown,
            };
        }
        if (message.ValueKind == JsonValueKind.Object)
        {
            // "event" is checked before "extID", as the official clients do.
            if (message.TryGetProperty("event", out _)) return InboundKind.Event;
            if (message.TryGetProperty("extID", out _)) return InboundKind.Response;
        }
        return InboundKind.Unknown;
    }

    /// <summary>Fast path for <c>["t",symbol,bid,ask(,time)]</c>; false sends the line to the general path.</summary>
    private static bool TryReadQuote(in ReadOnlySequence<byte> line, SymbolNameCache symbols, out Quote quote)
    {
        quote = default;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("t"u8)) return false;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String) return false;
            var symbol = symbols.Get(ref reader);
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var bid)) return false;
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var ask)) return false;
            if (!reader.Read()) return false;
            long time = 0;
            if (reader.TokenType == JsonTokenType.Number)
            {
                time = reader.TryGetInt64(out var seconds) ? seconds : (long)reader.GetDouble();
            }
            else if (reader.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }
            quote = new Quote(symbol, bid, ask, time);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static Notification ReadNotification(JsonElement a)
    {
        var length = a.GetArrayLength();
        JsonElement? data = null;
        var code = 0;
        // 10 elements with a data object at [8], 9 without: decided by the type of [8], as the clients do.
        if (length > 8 && a[8].ValueKind == JsonValueKind.Object)
        {
            data = a[8];
            if (length > 9) code = Int(a[9]);
        }
        else if (length > 8)
        {
            code = Int(a[8]);
        }
        return new Notification
        {
            Message = Text(a[1]),
            Description = Text(a[2]),
            Token = Text(a[3]),
            Status = Int(a[4]),
            Level = (NotificationLevel)Int(a[5]),
            UserId = Long(a[6]),
            CreateTime = Long(a[7]),
            Data = data,
            Code = code,
        };
    }

    public static IReadOnlyList<SymbolIndexEntry> ReadSymbolReindex(JsonElement a)
    {
        var list = new List<SymbolIndexEntry>();
        foreach (var row in a[1].EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Array && row.GetArrayLength() >= 3) list.Add(new SymbolIndexEntry(Text(row[0]), Int(row[1]), Int(row[2])));
        }
        return list;
    }

    public static IReadOnlyList<SymbolGroupIndexEntry> ReadSymbolGroupReindex(JsonElement a)
    {
        var list = new List<SymbolGroupIndexEntry>();
        foreach (var row in a[1].EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Array && row.GetArrayLength() >= 2) list.Add(new SymbolGroupIndexEntry(Int(row[0]), Int(row[1])));
        }
        return list;
    }

    public static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => e.GetRawText(),
    };

    public static int Int(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v
        : e.ValueKind == JsonValueKind.Number ? (int)e.GetDouble() : 0;

    public static long Long(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v
        : e.ValueKind == JsonValueKind.Number ? (long)e.GetDouble() : 0;
}
