using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dealwire.Client;

/// <summary>The wire's 0/1 integer flags (<c>enable</c>, <c>trade</c>, …) as <see cref="bool"/>.</summary>
internal sealed class IntBoolConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number => reader.GetDecimal() != 0,
        JsonTokenType.String => reader.GetString() is { } s && s != "0" && !s.Equals("false", StringComparison.OrdinalIgnoreCase) && s.Length > 0,
        _ => throw new JsonException($"Expected a 0/1 flag, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteNumberValue(value ? 1 : 0);
}
