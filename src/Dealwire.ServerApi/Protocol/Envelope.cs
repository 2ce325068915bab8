using System.Buffers;
using System.Text.Json;
using Dealwire.Gateway.Framing;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// A parsed request line: <c>{"command","data","extID","__token"}</c>. Owns a copy of the line's bytes and
/// the JSON document over them, so <see cref="Data"/> stays valid however long the command awaits the engine
/// (the receive pipe reuses its memory as soon as the read loop moves on); dispose it when the command is done.
/// </summary>
internal sealed class Envelope : IDisposable
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private readonly PooledLine _bytes;
    private readonly JsonDocument _document;

    private Envelope(PooledLine bytes, JsonDocument document, string? extId, string command, string? token, JsonElement data)
    {
        _bytes = bytes;
        _document = document;
        ExtId = extId;
        Command = command;
        Token = token;
        Data = data;
    }

    /// <summary>The correlation id echoed in the reply; null when the request had none.</summary>
    public string? ExtId { get; }

    public string Command { get; }

    public string? Token { get; }

    public JsonElement Data { get; }

    /// <summary>
    /// Parses one line. Malformed input throws <see cref="ProtocolException"/> with the extID recovered
    /// so far (null when the JSON itself is unreadable) in <paramref name="extId"/>.
    /// </summary>
    public static Envelope Parse(in ReadOnlySequence<byte> line, out string? extId)
    {
        var bytes = PooledLine.Copy(line);
        try
        {
            return Parse(bytes, out extId);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    private static Envelope Parse(PooledLine bytes, out string? extId)
    {
        extId = null;
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Memory.Span)) throw ProtocolException.InvalidData("malformed JSON: invalid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.Memory, ParseOptions);
        }
        catch (JsonException ex)
        {
            throw ProtocolException.InvalidData("malformed JSON: " + FirstSentence(ex.Message));
        }
        catch (ArgumentException)
        {
            throw ProtocolException.InvalidData("malformed JSON: invalid UTF-8");
        }

        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ProtocolException.InvalidData($"a request must be a JSON object, not {Describe(root.ValueKind)}");
            }
            extId = ReadExtId(root);

            if (!root.TryGetProperty("command", out var command) || command.ValueKind != JsonValueKind.String
                || ReadText(command, "command") is not { Length: > 0 } name)
            {
                throw ProtocolException.InvalidData("command is required and must be a string");
            }

            string? token = null;
            if (root.TryGetProperty("__token", out var tokenElement))
            {
                if (tokenElement.ValueKind == JsonValueKind.String) token = ReadText(tokenElement, "__token");
                else if (tokenElement.ValueKind != JsonValueKind.Null) throw ProtocolException.InvalidData("__token must be a string");
            }

            var data = EmptyObject;
            if (root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
            {
                if (dataElement.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("data must be an object");
                data = dataElement;
            }
            return new Envelope(bytes, document, extId, name, token, data);
        }
        catch (InvalidOperationException)
        {
            // A property name escaping half a surrogate pair cannot even be compared.
            document.Dispose();
            throw ProtocolException.InvalidData("the request is not valid Unicode text (lone surrogate escape)");
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A string field's text. Valid UTF-8 can still escape half a surrogate pair (<c>"\ud800"</c>), which has
    /// no UTF-16 string: that is the client's bad input, answered like any other, not a server fault.
    /// </summary>
    private static string? ReadText(JsonElement value, string field)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw ProtocolException.InvalidData($"{field} is not valid Unicode text (lone surrogate escape)");
        }
    }

    /// <summary><c>extID</c>, or the <c>extId</c> spelling of one docs generation; scalars are echoed as their text.</summary>
    private static string? ReadExtId(JsonElement root)
    {
        if (!root.TryGetProperty("extID", out var value) && !root.TryGetProperty("extId", out value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => ReadText(value, "extID"),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw ProtocolException.InvalidData("extID must be a string"),
        };
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }

    public void Dispose()
    {
        _document.Dispose();
        _bytes.Dispose();
    }
}
