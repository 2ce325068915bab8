using System.Buffers;
using System.Text.Json;

namespace Dealwire.ManagerApi.Wire;

/// <summary>
/// Builds complete outbound lines: <c>{"message_id","message_response_id","message_type":{"server_message":{…}}}\r\n</c>.
/// A frame is an immutable byte array so one serialization can be queued to many connections.
/// </summary>
internal static class Frames
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>An envelope whose <c>server_message</c> object is filled by <paramref name="body"/>.</summary>
    public static byte[] ServerMessage<TState>(string? responseTo, TState state, Action<Utf8JsonWriter, TState> body)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("message_id", Guid.NewGuid());
        WriteResponseId(w, responseTo);
        w.WritePropertyName("message_type");
        w.WriteStartObject();
        w.WritePropertyName("server_message");
        w.WriteStartObject();
        body(w, state);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        return Finish(buffer, w);
    }

    /// <summary><c>server_message.error</c>: the same in both layouts (system errors, seed errors).</summary>
    public static byte[] SystemError(string? responseTo, string code) =>
        ServerMessage(responseTo, code, static (w, c) => w.WriteString("error", c));

    /// <summary>The answer to a ping: same casing family as the ping, <c>message_response_id</c> = the ping's id.</summary>
    public static byte[] Pong(string? pingId, bool pascalCase)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("message_id", Guid.NewGuid());
        WriteResponseId(w, pingId);
        w.WriteString("message_type", pascalCase ? "Pong" : "pong");
        w.WriteEndObject();
        return Finish(buffer, w);
    }

    private static void WriteResponseId(Utf8JsonWriter w, string? responseTo)
    {
        if (responseTo is null) w.WriteNull("message_response_id");
        else w.WriteString("message_response_id", responseTo);
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) Rent()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer;
        if (w is null) t_writer = w = new Utf8JsonWriter(buffer, WriterOptions);
        else w.Reset(buffer);
        return (buffer, w);
    }

    private static byte[] Finish(ArrayBufferWriter<byte> buffer, Utf8JsonWriter w)
    {
        w.Flush();
        var frame = new byte[buffer.WrittenCount + 2];
        buffer.WrittenSpan.CopyTo(frame);
        frame[^2] = (byte)'\r';
        frame[^1] = (byte)'\n';
        if (buffer.Capacity > 1 << 20) t_buffer = null; // do not pin a huge snapshot buffer to the thread
        return frame;
    }
}
