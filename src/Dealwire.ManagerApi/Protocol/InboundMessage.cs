using System.Buffers;
using System.Text.Json;

namespace Dealwire.ManagerApi.Protocol;

/// <summary>What an inbound line turned out to be.</summary>
public enum InboundKind
{
    /// <summary>Not a Manager API envelope (bad JSON, missing or misshapen <c>message_type</c>).</summary>
    Invalid,
    Ping,
    Pong,
    /// <summary>A <c>client_message</c> with exactly one named request.</summary>
    Request,
}

/// <summary>
/// One parsed envelope. Unknown fields are ignored; the request body stays a <see cref="JsonElement"/>
/// of the owning document, valid until <see cref="Dispose"/>.
/// </summary>
public sealed class InboundMessage : IDisposable
{
    private readonly JsonDocument? _document;

    private InboundMessage(JsonDocument? document, InboundKind kind, string? messageId, string name, JsonElement body, bool pascalCase,
        string? fault = null)
    {
        Fault = fault;
        _document = document;
        Kind = kind;
        MessageId = messageId;
        Name = name;
        Body = body;
        PascalCase = pascalCase;
    }

    public InboundKind Kind { get; }

    /// <summary>Why an <see cref="InboundKind.Invalid"/> line was refused, for the client-fault log; null otherwise.</summary>
    public string? Fault { get; }

    /// <summary>The client's <c>message_id</c> (string, or a number's text), or null when absent.</summary>
    public string? MessageId { get; }

    /// <summary>The request key inside <c>client_message</c>, e.g. <c>get_accounts</c>.</summary>
    public string Name { get; }

    public JsonElement Body { get; }

    /// <summary>Ping/pong spelled <c>Ping</c>/<c>Pong</c> (the JSON-socket casing).</summary>
    public bool PascalCase { get; }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowTrailingCommas = false };

    /// <summary>
    /// Parses one line. Never throws on client input: bad JSON, invalid UTF-8 and text that escapes half a
    /// surrogate pair (<c>"\ud800"</c>, valid JSON with no UTF-16 string) all come back as
    /// <see cref="InboundKind.Invalid"/>, which the session answers with <c>invalid_message_format</c>.
    /// </summary>
    public static InboundMessage Parse(ReadOnlySequence<byte> line)
    {
        if (!IsValidUtf8(line)) return Invalid(null, null, "invalid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, DocumentOptions);
        }
        catch (JsonException)
        {
            return Invalid(null, null, "malformed JSON");
        }

        try
        {
            return Read(document);
        }
        catch (InvalidOperationException)
        {
            return Invalid(document, null, "lone surrogate escape in message_id, message_type or a request name");
        }
    }

    private static InboundMessage Read(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return Invalid(document, null, "not a JSON object");
        string? messageId = null;
        if (root.TryGetProperty("message_id", out var idElement))
        {
            messageId = idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            };
        }
        if (!root.TryGetProperty("message_type", out var type)) return Invalid(document, messageId, "no message_type");

        if (type.ValueKind == JsonValueKind.String)
        {
            var text = type.GetString();
            if (string.Equals(text, "ping", StringComparison.OrdinalIgnoreCase))
                return new InboundMessage(document, InboundKind.Ping, messageId, "ping", default, char.IsUpper(text![0]));
            if (string.Equals(text, "pong", StringComparison.OrdinalIgnoreCase))
                return new InboundMessage(document, InboundKind.Pong, messageId, "pong", default, char.IsUpper(text![0]));
            return Invalid(document, messageId, "unknown message_type");
        }

        if (type.ValueKind != JsonValueKind.Object || !type.TryGetProperty("client_message", out var client)
            || client.ValueKind != JsonValueKind.Object) return Invalid(document, messageId, "message_type is not a client_message");

        string? name = null;
        JsonElement body = default;
        foreach (var property in client.EnumerateObject())
        {
            if (name is not null) return Invalid(document, messageId, "more than one request in client_message"); // exactly one request per envelope
            name = property.Name;
            body = property.Value;
        }
        if (name is null) return Invalid(document, messageId, "empty client_message");
        return new InboundMessage(document, InboundKind.Request, messageId, name, body, false);
    }

    private static bool IsValidUtf8(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment) return System.Text.Unicode.Utf8.IsValid(line.FirstSpan);
        var copy = System.Buffers.ArrayPool<byte>.Shared.Rent((int)line.Length);
        try
        {
            line.CopyTo(copy);
            return System.Text.Unicode.Utf8.IsValid(copy.AsSpan(0, (int)line.Length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public void Dispose() => _document?.Dispose();

    private static InboundMessage Invalid(JsonDocument? document, string? messageId, string fault) =>
        new(document, InboundKind.Invalid, messageId, "", default, false, fault);
}
