using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Serializes one outgoing line into a fresh byte array ending in CR LF. The JSON writer escapes every
/// control character, so a frame never contains a raw newline. One buffer and writer per thread.
/// </summary>
internal static class FrameWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    public static byte[] Build<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = _writer ??= new Utf8JsonWriter(buffer, Options);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            var written = buffer.WrittenSpan;
            var frame = new byte[written.Length + 2];
            written.CopyTo(frame);
            frame[^2] = (byte)'\r';
            frame[^1] = (byte)'\n';
            return frame;
        }
        finally
        {
            // Big result sets should not pin a huge buffer to the thread forever.
            if (buffer.Capacity > 1 << 20)
            {
                _buffer = null;
                _writer = null;
            }
        }
    }

    /// <summary><c>{"extID":…,"status":…,"error":…,"message":…}</c></summary>
    public static byte[] Error(string? extId, int status, string error, string message) =>
        Build((extId, status, error, message), static (w, s) =>
        {
            w.WriteStartObject();
            WriteExtId(w, s.extId);
            w.WriteNumber("status", s.status);
            w.WriteString("error", s.error);
            w.WriteString("message", s.message);
            w.WriteEndObject();
        });

    public static void WriteExtId(Utf8JsonWriter w, string? extId)
    {
        if (extId is null) w.WriteNull("extID");
        else w.WriteString("extID", extId);
    }
}
