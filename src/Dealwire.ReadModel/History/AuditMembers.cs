using System.Text.Json;

namespace Dealwire.ReadModel.History;

/// <summary>
/// One member of an audit image written by hand, under the audit log's rule of <see cref="AuditPolicy.Json"/>: left out
/// when it holds its default (0, <c>false</c>, <c>null</c>, <c>""</c>). Shared by <see cref="AuditRecordImage"/> and
/// <see cref="AuditCommandImage"/>; enumerations, always written, are written by them directly.
/// </summary>
internal static class AuditMembers
{
    public static void Number(Utf8JsonWriter w, JsonEncodedText name, long value)
    {
        if (value != 0) w.WriteNumber(name, value);
    }

    public static void Number(Utf8JsonWriter w, JsonEncodedText name, int value)
    {
        if (value != 0) w.WriteNumber(name, value);
    }

    // 0.00m is the default too: the serializer compares with default(decimal), which ignores the scale.
    public static void Number(Utf8JsonWriter w, JsonEncodedText name, decimal value)
    {
        if (value != 0m) w.WriteNumber(name, value);
    }

    public static void Text(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }

    public static void Flag(Utf8JsonWriter w, JsonEncodedText name, bool value)
    {
        if (value) w.WriteBoolean(name, true);
    }
}
