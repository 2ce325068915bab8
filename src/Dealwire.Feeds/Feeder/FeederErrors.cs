using System.Text;
using System.Text.Json;

namespace Dealwire.Feeds.Feeder;

/// <summary>
/// The error lines of the feeder protocol: <c>{"error":CODE,"message":TEXT,"line":N}</c>, N the 1-based line number on
/// the connection. Codes are a contract (docs/feeds.md); messages may change.
/// </summary>
public static class FeederErrors
{
    /// <summary>The first line is not a valid feeder key; the connection is closed.</summary>
    public const string BadKey = "bad_key";
    /// <summary>Not a JSON object.</summary>
    public const string BadJson = "bad_json";
    /// <summary>symbol, bid or ask missing, or of the wrong type; bid/ask not positive; time not an integer.</summary>
    public const string BadTick = "bad_tick";
    /// <summary>The key does not allow this symbol.</summary>
    public const string SymbolNotAllowed = "symbol_not_allowed";
    /// <summary>Longer than Feeds:Listener:MaxLineBytes.</summary>
    public const string LineTooLong = "line_too_long";
    /// <summary>The connection cap of the listener is reached; the connection is closed.</summary>
    public const string TooManyConnections = "too_many_connections";
    /// <summary>A deadline passed (authentication or line completion); the connection is closed.</summary>
    public const string Timeout = "timeout";

    public static byte[] Line(string code, string message, long lineNumber)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", code);
            json.WriteString("message", message);
            if (lineNumber > 0) json.WriteNumber("line", lineNumber);
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    public static byte[] Welcome(FeederKey key)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", true);
            json.WriteString("feeder", key.Name);
            if (key.Symbols is null) json.WriteString("symbols", "*");
            else
            {
                json.WriteStartArray("symbols");
                foreach (var symbol in key.Symbols) json.WriteStringValue(symbol);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    public static byte[] Pong(string id) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["pong"] = id }) + "\n");
}
