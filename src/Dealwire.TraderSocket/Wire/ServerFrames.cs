using System.Buffers;
using System.Text.Json;

namespace Dealwire.TraderSocket.Wire;

/// <summary>
/// The server's lines: <c>{"message_id":"&lt;uuid&gt;","message_type":{"server_message":{"&lt;key&gt;":&lt;payload&gt;}}}</c>
/// plus CR LF, and the heartbeat <c>{"message_id":"&lt;uuid&gt;","message_type":"Ping"}</c>. No <c>message_response_id</c>:
/// the protocol has no request/reply correlation. Every server message gets a fresh UUID as its id (the spec asks
/// only for a unique string).
/// </summary>
internal static class ServerFrames
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false, SkipValidation = false };

    public delegate void PayloadWriter<in T>(Utf8JsonWriter writer, T value);

    /// <summary>One <c>server_message</c> whose single key is <paramref name="key"/> and whose value <paramref name="write"/> writes.</summary>
    public static byte[] Message<T>(string key, T value, PayloadWriter<T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartObject();
            w.WriteString("message_id", Guid.NewGuid());
            w.WriteStartObject("message_type");
            w.WriteStartObject("server_message");
            w.WritePropertyName(key);
            write(w, value);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Terminated(buffer.WrittenSpan);
    }

    /// <summary>An event of a kind with variants: <c>{"&lt;key&gt;":{"&lt;variant&gt;":&lt;payload&gt;}}</c> (position.created, pending_position.canceled, …).</summary>
    public static byte[] Variant<T>(string key, string variant, T value, PayloadWriter<T> write) =>
        Message(key, (variant, value, write), static (w, v) =>
        {
            w.WriteStartObject();
            w.WritePropertyName(v.variant);
            v.write(w, v.value);
            w.WriteEndObject();
        });

    /// <summary>The answer to <c>auth_request</c>: <c>success</c> with the session id, otherwise <c>auth_failed</c> or <c>unauthorized</c> with null.</summary>
    public static byte[] AuthResult(string result, string? sessionId) =>
        Message("auth_result", (result, sessionId), static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("result", r.result);
            if (r.sessionId is null) w.WriteNull("session_id");
            else w.WriteString("session_id", r.sessionId);
            w.WriteEndObject();
        });

    /// <summary>The server's heartbeat (PascalCase, as the spec writes it).</summary>
    public static byte[] Ping() => Heartbeat("Ping");

    /// <summary>The answer to a client's own <c>Ping</c>.</summary>
    public static byte[] Pong() => Heartbeat("Pong");

    private static byte[] Heartbeat(string kind)
    {
        var buffer = new ArrayBufferWriter<byte>(80);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartObject();
            w.WriteString("message_id", Guid.NewGuid());
            w.WriteString("message_type", kind);
            w.WriteEndObject();
        }
        return Terminated(buffer.WrittenSpan);
    }

    private static byte[] Terminated(ReadOnlySpan<byte> json)
    {
        var frame = new byte[json.Length + 2];
        json.CopyTo(frame);
        frame[^2] = (byte)'\r';
        frame[^1] = (byte)'\n';
        return frame;
    }
}
