using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Serializes one outgoing line into a fresh byte array ending in CR LF. The JSON writer escapes every
/// control character, so a frame never contains a raw newline; every apostrophe is written as <c>\u0027</c>
/// (see <see cref="CopyEscapingApostrophes"/>). One buffer and writer per thread.
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
    [ThreadStatic] private static IFrameSliceSink? _sliceSink;
    [ThreadStatic] private static int _sliceStart;
    [ThreadStatic] private static int _sliceLength;

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
            var json = buffer.WrittenSpan;
            var frame = CopyEscapingApostrophes(json);
            // A marked value is handed on only where escaping moved no byte of the frame (nothing added but the line end).
            if (_sliceSink is { } sink && frame.Length == json.Length + LineEnd.Length) sink.Keep(frame, _sliceStart, _sliceLength);
            return frame;
        }
        finally
        {
            // A mark never outlives its frame, whether the frame was finished or not.
            _sliceSink = null;
            // Big result sets should not pin a huge buffer to the thread forever.
            if (buffer.Capacity > 1 << 20)
            {
                _buffer = null;
                _writer = null;
            }
        }
    }

    /// <summary>Where the next value the writer writes starts in the frame being built.</summary>
    public static int Position(Utf8JsonWriter w) => checked((int)(w.BytesCommitted + w.BytesPending));

    /// <summary>
    /// Marks the value written from <paramref name="start"/> to the writer's position: once the frame is built,
    /// <paramref name="sink"/> gets the frame and where the value's final bytes are in it, so a later frame can copy them
    /// instead of serializing the value again. One mark per frame; none when escaping moved the frame's bytes.
    /// </summary>
    public static void MarkValue(Utf8JsonWriter w, int start, IFrameSliceSink sink)
    {
        _sliceSink = sink;
        _sliceStart = start;
        _sliceLength = Position(w) - start;
    }

    private static ReadOnlySpan<byte> EscapedApostrophe => "\\u0027"u8;

    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    /// <summary>
    /// The frame plus CR LF, with every <c>'</c> written as <c>\u0027</c>. The vendor PHP client "repairs" JSON by
    /// turning <c>'</c> into <c>"</c> and then hangs on the broken line; the relaxed encoder (kept so that names
    /// in any script stay readable) leaves <c>'</c> raw. Outside strings JSON has no apostrophe, and no byte of a
    /// multi-byte UTF-8 sequence is 0x27, so replacing the byte is exactly escaping the character in strings.
    /// </summary>
    internal static byte[] CopyEscapingApostrophes(ReadOnlySpan<byte> json)
    {
        var apostrophes = json.Count((byte)'\'');
        var frame = new byte[json.Length + apostrophes * (EscapedApostrophe.Length - 1) + LineEnd.Length];
        if (apostrophes == 0)
        {
            json.CopyTo(frame);
        }
        else
        {
            var to = 0;
            while (json.IndexOf((byte)'\'') is var at && at >= 0)
            {
                json[..at].CopyTo(frame.AsSpan(to));
                to += at;
                EscapedApostrophe.CopyTo(frame.AsSpan(to));
                to += EscapedApostrophe.Length;
                json = json[(at + 1)..];
            }
            json.CopyTo(frame.AsSpan(to));
        }
        LineEnd.CopyTo(frame.AsSpan(frame.Length - LineEnd.Length));
        return frame;
    }

    /// <summary><c>{"extID":…,"status":…,"error":…,"message":…}</c></summary>
    public static byte[] Error(string? extId, int status, string error, string message) =>
        Build((extId, status, error, message), static (w, s) =>
        {
            w.WriteStartObject();
            WriteExtId(w, s.extId);
            w.WriteNumber("status"u8, s.status);
            w.WriteString("error"u8, s.error);
            w.WriteString("message"u8, s.message);
            w.WriteEndObject();
        });

    /// <summary>The request's extID as it came (no string made), or null.</summary>
    public static void WriteExtId(Utf8JsonWriter w, Envelope request)
    {
        if (!request.HasExtId) w.WriteNull(ExtIdName);
        else w.WriteString(ExtIdName, request.ExtIdUtf8);
    }

    private static readonly JsonEncodedText ExtIdName = JsonEncodedText.Encode("extID");

    public static void WriteExtId(Utf8JsonWriter w, string? extId)
    {
        if (extId is null) w.WriteNull("extID"u8);
        else w.WriteString("extID"u8, extId);
    }
}

/// <summary>Told where a value marked with <see cref="FrameWriter.MarkValue"/> ended up in its finished frame.</summary>
internal interface IFrameSliceSink
{
    /// <summary><paramref name="frame"/> is final and never written again; the value is <c>frame[start..(start + length)]</c>.</summary>
    void Keep(byte[] frame, int start, int length);
}
