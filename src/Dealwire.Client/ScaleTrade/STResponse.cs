using System.Dynamic;
using System.Globalization;
using System.Text.Json;

namespace ScaleTrade;

/// <summary>
/// A command's reply. Prints as the reply's JSON <c>data</c>; as <c>dynamic</c>, its fields read directly
/// (<c>user.login</c>), numbers as <see cref="long"/> or <see cref="decimal"/>.
/// </summary>
public sealed class STResponse : DynamicObject
{
    internal STResponse(string command, JsonElement data)
    {
        Command = command;
        Data = data;
    }

    /// <summary>The command that was answered.</summary>
    public string Command { get; }

    /// <summary>The reply's <c>data</c> (<see cref="JsonValueKind.Undefined"/> when there was none).</summary>
    public JsonElement Data { get; }

    /// <summary>A field of <see cref="Data"/>, converted, or <c>null</c> when absent.</summary>
    public object? this[string field] => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(field, out var value) ? Convert(value) : null;

    /// <inheritdoc/>
    public override bool TryGetMember(GetMemberBinder binder, out object? result)
    {
        ArgumentNullException.ThrowIfNull(binder);
        result = this[binder.Name];
        return result is not null || (Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(binder.Name, out _));
    }

    /// <inheritdoc/>
    public override string ToString() => Data.ValueKind == JsonValueKind.Undefined ? "{}" : Data.GetRawText();

    private static object? Convert(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => new STResponse("", value),
    };
}
