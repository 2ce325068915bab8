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

    private InboundMessage(JsonDocument? document, InboundKind kind, string? messageId, string name, JsonElement body, bool pascalCase)
    {
        _document = document;
        Kind = kind;
        MessageId = messageId;
        Name = name;
        Body = body;
        PascalCase = pascalCase;
    }

    public InboundKind Kind { get; }

    /// <summary>The client's <c>message_id</c> (string, or a number's text), or null when absent.</summary>
    public string? MessageId { get; }

    /// <summary>The request key inside <c>client_message</c>, e.g. <c>get_accounts</c>.</summary>
    public string Name { get; }

    public JsonElement Body { get; }

    /// <summary>Ping/pong spelled <c>Ping</c>/<c>Pong</c> (the JSON-socket casing).</summary>
    public bool PascalCase { get; }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowTrailingCommas = false };

    public static InboundMessage Parse(ReadOnlySequence<byte> line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, DocumentOptions);
        }
        catch (JsonException)
        {
            return Invalid(null, null);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return Invalid(document, null);
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
        if (!root.TryGetProperty("message_type", out var type)) return Invalid(document, messageId);

        if (type.ValueKind == JsonValueKind.String)
        {
            var text = type.GetString();
            if (string.Equals(text, "ping", StringComparison.OrdinalIgnoreCase))
                return new InboundMessage(document, InboundKind.Ping, messageId, "ping", default, char.IsUpper(text![0]));
            if (string.Equals(text, "pong", StringComparison.OrdinalIgnoreCase))
                return new InboundMessage(document, InboundKind.Pong, messageId, "pong", default, char.IsUpper(text![0]));
            return Invalid(document, messageId);
        }

        if (type.ValueKind != JsonValueKind.Object || !type.TryGetProperty("client_message", out var client)
            || client.ValueKind != JsonValueKind.Object) return Invalid(document, messageId);

        string? name = null;
        JsonElement body = default;
        foreach (var property in client.EnumerateObject())
        {
            if (name is not null) return Invalid(document, messageId); // exactly one request per envelope
            name = property.Name;
            body = property.Value;
        }
        if (name is null) return Invalid(document, messageId);
        return new InboundMessage(document, InboundKind.Request, messageId, name, body, false);
    }

    public void Dispose() => _document?.Dispose();

    private static InboundMessage Invalid(JsonDocument? document, string? messageId) =>
        new(document, InboundKind.Invalid, messageId, "", default, false);
}
