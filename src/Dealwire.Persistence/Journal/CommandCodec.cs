using System.Buffers;
using System.Text.Json;
using Dealwire.Engine.Commands;

namespace Dealwire.Persistence.Journal;

/// <summary>
/// Payload encoding of journal records: System.Text.Json with the engine's polymorphic "$c"
/// discriminators. The codec id is in every segment header, so a faster binary codec can be added
/// later without breaking existing files.
/// </summary>
internal static class CommandCodec
{
    /// <summary>Codec 1: UTF-8 JSON of <see cref="EngineCommand"/> (reflection-based STJ, numbers for enums, exact decimals).</summary>
    public const ushort Json = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static void Write(EngineCommand command, IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        JsonSerializer.Serialize(writer, command, Options);
        writer.Flush();
        writer.Reset();
    }

    public static EngineCommand Read(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<EngineCommand>(payload, Options)
        ?? throw new JsonException("A journal record holds a null command.");
}
