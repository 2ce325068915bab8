using System.Text.Json;

namespace Dealwire.TraderSocket.Protocol;

public enum ClientMessageKind
{
    /// <summary>Not a JSON object, no <c>message_type</c>, or an <c>auth_request</c> without a string <c>secret_key</c>.</summary>
    Malformed,
    /// <summary>A well-formed envelope this protocol does not define (it has one client request).</summary>
    Unknown,
    AuthRequest,
    Pong,
    Ping,
}

/// <summary>
/// What a client line says. The protocol's client side is tiny: <c>auth_request</c> (once, first), <c>Pong</c> (the
/// answer to the server's <c>Ping</c>) and, tolerated, a client <c>Ping</c>. Casing is the spec's: PascalCase
/// heartbeat strings, snake_case keys.
/// </summary>
public readonly record struct ClientMessage(ClientMessageKind Kind, string? SecretKey)
{
    public static ClientMessage Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message_type", out var type)) return new(ClientMessageKind.Malformed, null);
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString() switch
                {
                    "Pong" => new(ClientMessageKind.Pong, null),
                    "Ping" => new(ClientMessageKind.Ping, null),
                    _ => new(ClientMessageKind.Unknown, null),
                };
            }
            if (type.ValueKind != JsonValueKind.Object) return new(ClientMessageKind.Malformed, null);
            if (!type.TryGetProperty("client_message", out var client) || client.ValueKind != JsonValueKind.Object) return new(ClientMessageKind.Unknown, null);
            if (!client.TryGetProperty("auth_request", out var auth)) return new(ClientMessageKind.Unknown, null);
            return auth.ValueKind == JsonValueKind.Object && auth.TryGetProperty("secret_key", out var key) && key.ValueKind == JsonValueKind.String
                ? new(ClientMessageKind.AuthRequest, key.GetString())
                : new(ClientMessageKind.Malformed, null);
        }
        catch (JsonException)
        {
            return new(ClientMessageKind.Malformed, null);
        }
    }
}
