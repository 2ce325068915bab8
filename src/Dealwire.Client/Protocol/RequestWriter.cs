using System.Buffers;
using System.Text.Json;

namespace Dealwire.Client.Protocol;

/// <summary>Writes the request envelope <c>{"command","data","extID","__token"}</c> + CR LF (scaletrade-tcp §2).</summary>
internal static class RequestWriter
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static void Write(IBufferWriter<byte> output, string command, ReadOnlySpan<byte> dataJson, string extId, string token)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, Options);
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteString("command"u8, command);
        writer.WritePropertyName("data"u8);
        if (dataJson.IsEmpty) writer.WriteRawValue("{}"u8, skipInputValidation: true);
        else writer.WriteRawValue(dataJson, skipInputValidation: true);
        writer.WriteString("extID"u8, extId);
        writer.WriteString("__token"u8, token);
        writer.WriteEndObject();
        writer.Flush();
        output.Write(CrLf);
    }
}
