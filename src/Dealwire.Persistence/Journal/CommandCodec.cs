using System.Buffers;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Persistence.IO;

namespace Dealwire.Persistence.Journal;

/// <summary>
/// Payload encodings of journal records; the codec id is in every segment header, so segments written
/// with either codec stay readable.
/// </summary>
internal static class CommandCodec
{
    /// <summary>Codec 1: UTF-8 JSON of <see cref="EngineCommand"/> (reflection-based STJ, numbers for enums, exact decimals).</summary>
    public const ushort Json = 1;

    /// <summary>Codec 2 (written by this build): a tag byte, then the binary layout of a hot command or JSON; see <see cref="BinaryCommandCodec"/>.</summary>
    public const ushort Tagged = 2;

    public static bool IsKnown(ushort codec) => codec is Json or Tagged;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static void Write(ushort codec, EngineCommand command, RecordBuffer output)
    {
        if (codec == Tagged) BinaryCommandCodec.Write(command, output);
        else WriteJson(command, output);
    }

    /// <summary>
    /// Decodes a record payload. Any malformed payload throws <see cref="FormatException"/> (recovery turns it
    /// into a <see cref="DataCorruptionException"/> with file and offset).
    /// </summary>
    public static EngineCommand Read(ushort codec, long sequence, ReadOnlySpan<byte> payload)
    {
        try
        {
            return codec == Tagged ? BinaryCommandCodec.Read(sequence, payload) : ReadJson(payload);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or OverflowException)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    internal static void WriteJson(EngineCommand command, IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        JsonSerializer.Serialize(writer, command, Options);
        writer.Flush();
        writer.Reset();
    }

    internal static EngineCommand ReadJson(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<EngineCommand>(payload, Options)
        ?? throw new JsonException("A journal record holds a null command.");
}
