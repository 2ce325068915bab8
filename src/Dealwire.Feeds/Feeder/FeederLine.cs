using System.Text.Json;

namespace Dealwire.Feeds.Feeder;

/// <summary>What one feeder line asked for.</summary>
public enum FeederLineKind { Tick, Ping, Error }

/// <summary>
/// Parses one line of the feeder protocol: a tick <c>{"symbol":"EURUSD","bid":1.10001,"ask":1.10011,"time":1733300000123}</c>
/// (time in Unix ms, optional) or a ping <c>{"ping":"ID"}</c>, answered <c>{"pong":"ID"}</c> once every earlier
/// tick of the connection is in the engine's queue: a feeder's barrier. Prices are read as decimals straight from
/// the JSON text, never through double. Unknown fields are ignored, so feeders may send more than Dealwire reads.
/// </summary>
public static class FeederLine
{
    public static FeederLineKind Parse(ReadOnlySpan<byte> line, out string? symbol, out decimal bid, out decimal ask, out long? time,
        out string? ping, out string? errorCode, out string? errorMessage)
    {
        symbol = null;
        ping = null;
        time = null;
        bid = ask = 0;
        errorCode = errorMessage = null;
        bool hasBid = false, hasAsk = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Error(FeederErrors.BadJson, "A line must be one JSON object.", out errorCode, out errorMessage);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("symbol"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) return Error(FeederErrors.BadTick, "symbol must be a string.", out errorCode, out errorMessage);
                    symbol = reader.GetString();
                }
                else if (reader.ValueTextEquals("bid"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out bid)) return Error(FeederErrors.BadTick, "bid must be a number.", out errorCode, out errorMessage);
                    hasBid = true;
                }
                else if (reader.ValueTextEquals("ask"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out ask)) return Error(FeederErrors.BadTick, "ask must be a number.", out errorCode, out errorMessage);
                    hasAsk = true;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var ms) || ms <= 0)
                    {
                        return Error(FeederErrors.BadTick, "time must be a positive integer (Unix milliseconds).", out errorCode, out errorMessage);
                    }
                    time = ms;
                }
                else if (reader.ValueTextEquals("ping"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) return Error(FeederErrors.BadJson, "ping must be a string.", out errorCode, out errorMessage);
                    ping = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return Error(FeederErrors.BadJson, "A line must be one JSON object.", out errorCode, out errorMessage);
        }
        catch (JsonException)
        {
            return Error(FeederErrors.BadJson, "Not valid JSON.", out errorCode, out errorMessage);
        }
        if (ping is not null) return FeederLineKind.Ping;
        if (string.IsNullOrEmpty(symbol)) return Error(FeederErrors.BadTick, "symbol is required.", out errorCode, out errorMessage);
        if (!hasBid || !hasAsk) return Error(FeederErrors.BadTick, "bid and ask are required.", out errorCode, out errorMessage);
        if (bid <= 0 || ask <= 0) return Error(FeederErrors.BadTick, "bid and ask must be positive.", out errorCode, out errorMessage);
        return FeederLineKind.Tick;
    }

    private static FeederLineKind Error(string code, string message, out string? errorCode, out string? errorMessage)
    {
        errorCode = code;
        errorMessage = message;
        return FeederLineKind.Error;
    }
}
