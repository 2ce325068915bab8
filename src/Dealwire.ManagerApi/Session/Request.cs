using System.Text.Json;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Session;

/// <summary>
/// A client request's fields, read strictly: a field of the wrong JSON type is
/// <c>invalid_message_format</c>, an id no Dealwire number can be derived from is <c>convert_id_error</c>,
/// a well-formed id Dealwire does not have reads as <see cref="ManagerIds.NoSuchEntity"/> (found nowhere).
/// Absent and null mean the same; unknown fields are ignored.
/// </summary>
public readonly struct Request
{
    private readonly JsonElement _body;

    public Request(string? messageId, string name, JsonElement body, WireDialect dialect)
    {
        MessageId = messageId;
        Name = name;
        Dialect = dialect;
        if (body.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
            throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        _body = body;
    }

    public string? MessageId { get; }

    public string Name { get; }

    public WireDialect Dialect { get; }

    public JsonElement? Field(string name) =>
        _body.ValueKind == JsonValueKind.Object && _body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? OptionalString(string name)
    {
        if (Field(name) is not { } v) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Bad();
    }

    public string RequiredString(string name) => OptionalString(name) ?? throw Bad();

    public bool? OptionalBool(string name)
    {
        if (Field(name) is not { } v) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(),
        };
    }

    public decimal? OptionalDecimal(string name)
    {
        if (Field(name) is not { } v) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) ? d : throw Bad();
    }

    public decimal RequiredDecimal(string name) => OptionalDecimal(name) ?? throw Bad();

    public long? OptionalLong(string name)
    {
        if (Field(name) is not { } v) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : throw Bad();
    }

    public long? OptionalId(string name, EntityKind kind)
    {
        if (Field(name) is not { } v) return null;
        return Dialect.ReadId(kind, v, out var number) switch
        {
            IdReadStatus.Ok or IdReadStatus.Unknown => number, // unknown = NoSuchEntity: found nowhere
            IdReadStatus.NotConvertible => throw new RequestRejectedException(ManagerErrors.ConvertIdError),
            _ => throw Bad(),
        };
    }

    public long RequiredId(string name, EntityKind kind) => OptionalId(name, kind) ?? throw Bad();

    public IReadOnlyDictionary<string, string>? OptionalStringMap(string name)
    {
        if (Field(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Object) throw Bad();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null) continue;
            if (p.Value.ValueKind != JsonValueKind.String) throw Bad();
            map[p.Name] = p.Value.GetString()!;
        }
        return map;
    }

    public JsonElement? OptionalObject(string name)
    {
        if (Field(name) is not { } v) return null;
        return v.ValueKind == JsonValueKind.Object ? v : throw Bad();
    }

    private static RequestRejectedException Bad() => new(ManagerErrors.InvalidMessageFormat);
}
