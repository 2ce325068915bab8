using System.Buffers;
using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// A parsed request line: <c>{"command","data","extID","__token"}</c>. Owns the JSON document; dispose it
/// when the command is done.
/// </summary>
internal sealed class Envelope : IDisposable
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private readonly JsonDocument _document;

    private Envelope(JsonDocument document, string? extId, string command, string? token, JsonElement data)
    {
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
        extId = null;
        if (!IsValidUtf8(line)) throw ProtocolException.InvalidData("malformed JSON: invalid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, ParseOptions);
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
                || command.GetString() is not { Length: > 0 } name)
            {
                throw ProtocolException.InvalidData("command is required and must be a string");
            }

            string? token = null;
            if (root.TryGetProperty("__token", out var tokenElement))
            {
                if (tokenElement.ValueKind == JsonValueKind.String) token = tokenElement.GetString();
                else if (tokenElement.ValueKind != JsonValueKind.Null) throw ProtocolException.InvalidData("__token must be a string");
            }

            var data = EmptyObject;
            if (root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
            {
                if (dataElement.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("data must be an object");
                data = dataElement;
            }
            return new Envelope(document, extId, name, token, data);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary><c>extID</c>, or the <c>extId</c> spelling of one docs generation; scalars are echoed as their text.</summary>
    private static string? ReadExtId(JsonElement root)
    {
        if (!root.TryGetProperty("extID", out var value) && !root.TryGetProperty("extId", out value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw ProtocolException.InvalidData("extID must be a string"),
        };
    }

    private static bool IsValidUtf8(in ReadOnlySequence<byte> line) =>
        line.IsSingleSegment ? System.Text.Unicode.Utf8.IsValid(line.FirstSpan) : System.Text.Unicode.Utf8.IsValid(line.ToArray());

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

    public void Dispose() => _document.Dispose();
}
