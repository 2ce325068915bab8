using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Typed access to a request's <c>data</c> object. Every failure names the field: missing, wrong type,
/// or a number outside what the field can hold all become 400 INVALID_DATA. Every number read here is
/// checked against its field's range (<see cref="FieldRanges"/>), so a handler cannot forget to.
/// </summary>
/// <remarks>
/// Over a request (<see cref="DataReader(Envelope)"/>) scalars are read straight from the line through the
/// envelope's <see cref="DataIndex"/>, without a JSON document; arrays, nested objects and <see cref="Raw"/>
/// use the document, parsed on first use. Both paths give the same values and the same messages.
/// </remarks>
internal readonly struct DataReader
{
    private readonly JsonElement _element;
    private readonly Envelope? _envelope;

    public DataReader(JsonElement data)
    {
        _element = data;
        _envelope = null;
    }

    /// <summary>The <c>data</c> of a parsed request.</summary>
    public DataReader(Envelope envelope)
    {
        _element = default;
        _envelope = envelope;
    }

    public JsonElement Raw => _envelope?.Data ?? _element;

    /// <summary>Whether scalars are read from the envelope's index (false: from a JSON element).</summary>
    private bool Indexed => _envelope is { DataIndex.NeedsDocument: false };

    public bool Has(string name) => Indexed ? FindIndexed(name, out _) : TryGet(name, out _);

    public long RequireLong(string name) => Indexed ? RequireIndexed(name).ReadLong(name) : ReadLong(name, Require(name));

    public long OptionalLong(string name, long fallback = 0)
    {
        if (Indexed) return FindIndexed(name, out var value) ? value.ReadLong(name) : fallback;
        return TryGet(name, out var v) ? ReadLong(name, v) : fallback;
    }

    public long? NullableLong(string name)
    {
        if (Indexed) return FindIndexed(name, out var value) ? value.ReadLong(name) : null;
        return TryGet(name, out var v) ? ReadLong(name, v) : null;
    }

    public int RequireInt(string name) => Indexed ? ToInt(name, RequireIndexed(name).ReadLong(name)) : ReadInt(name, Require(name));

    public int OptionalInt(string name, int fallback = 0)
    {
        if (Indexed) return FindIndexed(name, out var value) ? ToInt(name, value.ReadLong(name)) : fallback;
        return TryGet(name, out var v) ? ReadInt(name, v) : fallback;
    }

    public int? NullableInt(string name)
    {
        if (Indexed) return FindIndexed(name, out var value) ? ToInt(name, value.ReadLong(name)) : null;
        return TryGet(name, out var v) ? ReadInt(name, v) : null;
    }

    public decimal RequireDecimal(string name) => Indexed ? RequireIndexed(name).ReadDecimal(name) : ReadDecimal(name, Require(name));

    public decimal OptionalDecimal(string name, decimal fallback = 0m)
    {
        if (Indexed) return FindIndexed(name, out var value) ? value.ReadDecimal(name) : fallback;
        return TryGet(name, out var v) ? ReadDecimal(name, v) : fallback;
    }

    public decimal? NullableDecimal(string name)
    {
        if (Indexed) return FindIndexed(name, out var value) ? value.ReadDecimal(name) : null;
        return TryGet(name, out var v) ? ReadDecimal(name, v) : null;
    }

    public string RequireString(string name, int maxLength = 1024) =>
        Indexed ? RequireIndexed(name).ReadString(name, maxLength) : ReadString(name, Require(name), maxLength);

    public string? OptionalString(string name, int maxLength = 1024)
    {
        if (Indexed) return FindIndexed(name, out var value) ? value.ReadString(name, maxLength) : null;
        return TryGet(name, out var v) ? ReadString(name, v, maxLength) : null;
    }

    /// <summary>A 0/1 flag; JSON booleans are accepted as well.</summary>
    public bool RequireFlag(string name) => Indexed ? RequireIndexed(name).ReadFlag(name) : ReadFlag(name, Require(name));

    public bool? OptionalFlag(string name)
    {
        if (Indexed) return FindIndexed(name, out var value) ? value.ReadFlag(name) : null;
        return TryGet(name, out var v) ? ReadFlag(name, v) : null;
    }

    private bool FindIndexed(string name, out IndexedValue value)
    {
        var envelope = _envelope!;
        if (envelope.DataIndex.TryFind(envelope.Bytes, name, out var property) && property.Kind != JsonTokenType.Null)
        {
            value = new IndexedValue(envelope, property);
            return true;
        }
        value = default;
        return false;
    }

    private IndexedValue RequireIndexed(string name)
    {
        if (!FindIndexed(name, out var value)) throw ProtocolException.InvalidData($"{name} is required");
        return value;
    }

    private static int ToInt(string name, long l)
    {
        if (l is < int.MinValue or > int.MaxValue) throw ProtocolException.InvalidData($"{name} is out of range");
        return (int)l;
    }

    public JsonElement RequireArray(string name)
    {
        var v = Require(name);
        if (v.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData($"{name} must be an array");
        return v;
    }

    public JsonElement? OptionalArray(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData($"{name} must be an array");
        return v;
    }

    public List<long> RequireLongArray(string name)
    {
        var array = RequireArray(name);
        var list = new List<long>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray()) list.Add(ReadLong($"{name}[{i++}]", item));
        return list;
    }

    public List<string> RequireStringArray(string name, int maxLength = 64)
    {
        var array = RequireArray(name);
        var list = new List<string>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray()) list.Add(ReadString($"{name}[{i++}]", item, maxLength));
        return list;
    }

    private JsonElement Require(string name)
    {
        if (!TryGet(name, out var v)) throw ProtocolException.InvalidData($"{name} is required");
        return v;
    }

    private bool TryGet(string name, out JsonElement value) =>
        Raw.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    internal static long ReadLong(string name, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Number) throw ProtocolException.InvalidData($"{name} must be an integer");
        if (v.TryGetInt64(out var l)) return FieldRanges.Check(name, l);
        // 1.0 is an integer written loosely; 1.5 or 1e30 is not.
        if (v.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue) return FieldRanges.Check(name, (long)d);
        throw ProtocolException.InvalidData(v.TryGetDouble(out var x) && x == Math.Floor(x)
            ? $"{name} is out of range" : $"{name} must be an integer");
    }

    internal static int ReadInt(string name, JsonElement v) => ToInt(name, ReadLong(name, v));

    internal static decimal ReadDecimal(string name, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Number) throw ProtocolException.InvalidData($"{name} must be a number");
        if (v.TryGetDecimal(out var d)) return FieldRanges.Check(name, d);
        throw ProtocolException.InvalidData($"{name} is out of range");
    }

    internal static string ReadString(string name, JsonElement v, int maxLength)
    {
        if (v.ValueKind != JsonValueKind.String) throw ProtocolException.InvalidData($"{name} must be a string");
        var s = v.GetString()!;
        if (s.Length > maxLength) throw ProtocolException.InvalidData($"{name} is longer than {maxLength} characters");
        return s;
    }

    internal static bool ReadFlag(string name, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when v.TryGetInt32(out var i) && i is 0 or 1 => i == 1,
        _ => throw ProtocolException.InvalidData($"{name} must be 0 or 1"),
    };
}

/// <summary>
/// One scalar of <c>data</c> read from the line's bytes: the same checks and messages as the
/// <see cref="JsonElement"/> readers of <see cref="DataReader"/> (numbers go through <see cref="Utf8JsonReader"/>,
/// which parses them exactly as a document does).
/// </summary>
internal readonly struct IndexedValue(Envelope envelope, DataIndex.Property property)
{
    private ReadOnlySpan<byte> Token => envelope.Bytes[property.Start..property.End];

    private Utf8JsonReader Reader()
    {
        var reader = new Utf8JsonReader(Token);
        reader.Read();
        return reader;
    }

    public long ReadLong(string name)
    {
        if (property.Kind != JsonTokenType.Number) throw ProtocolException.InvalidData($"{name} must be an integer");
        var r = Reader();
        if (r.TryGetInt64(out var l)) return FieldRanges.Check(name, l);
        // 1.0 is an integer written loosely; 1.5 or 1e30 is not.
        if (r.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue) return FieldRanges.Check(name, (long)d);
        throw ProtocolException.InvalidData(r.TryGetDouble(out var x) && x == Math.Floor(x)
            ? $"{name} is out of range" : $"{name} must be an integer");
    }

    public decimal ReadDecimal(string name)
    {
        if (property.Kind != JsonTokenType.Number) throw ProtocolException.InvalidData($"{name} must be a number");
        if (Reader().TryGetDecimal(out var d)) return FieldRanges.Check(name, d);
        throw ProtocolException.InvalidData($"{name} is out of range");
    }

    public string ReadString(string name, int maxLength)
    {
        if (property.Kind != JsonTokenType.String) throw ProtocolException.InvalidData($"{name} must be a string");
        var r = Reader();
        // Short names (symbols, groups) recur on every command: interned rather than made each time.
        // A lone surrogate escape throws InvalidOperationException in GetString, as JsonElement.GetString does.
        var s = maxLength <= Utf8Strings.MaxShortChars && !r.ValueIsEscaped && r.ValueSpan.Length <= maxLength
            ? Utf8Strings.Short(r.ValueSpan)
            : r.GetString()!;
        if (s.Length > maxLength) throw ProtocolException.InvalidData($"{name} is longer than {maxLength} characters");
        return s;
    }

    public bool ReadFlag(string name) => property.Kind switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number when Reader().TryGetInt32(out var i) && i is 0 or 1 => i == 1,
        _ => throw ProtocolException.InvalidData($"{name} must be 0 or 1"),
    };
}
