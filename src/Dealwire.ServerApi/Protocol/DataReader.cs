using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Typed access to a request's <c>data</c> object. Every failure names the field: missing, wrong type,
/// or a number outside what the field can hold all become 400 INVALID_DATA. Every number read here is
/// checked against its field's range (<see cref="FieldRanges"/>), so a handler cannot forget to.
/// </summary>
internal readonly struct DataReader(JsonElement data)
{
    public JsonElement Raw => data;

    public bool Has(string name) => data.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public long RequireLong(string name) => ReadLong(name, Require(name));

    public long OptionalLong(string name, long fallback = 0) => TryGet(name, out var v) ? ReadLong(name, v) : fallback;

    public long? NullableLong(string name) => TryGet(name, out var v) ? ReadLong(name, v) : null;

    public int RequireInt(string name) => ReadInt(name, Require(name));

    public int OptionalInt(string name, int fallback = 0) => TryGet(name, out var v) ? ReadInt(name, v) : fallback;

    public int? NullableInt(string name) => TryGet(name, out var v) ? ReadInt(name, v) : null;

    public decimal RequireDecimal(string name) => ReadDecimal(name, Require(name));

    public decimal OptionalDecimal(string name, decimal fallback = 0m) => TryGet(name, out var v) ? ReadDecimal(name, v) : fallback;

    public decimal? NullableDecimal(string name) => TryGet(name, out var v) ? ReadDecimal(name, v) : null;

    public string RequireString(string name, int maxLength = 1024)
    {
        var s = ReadString(name, Require(name), maxLength);
        return s;
    }

    public string? OptionalString(string name, int maxLength = 1024) =>
        TryGet(name, out var v) ? ReadString(name, v, maxLength) : null;

    /// <summary>A 0/1 flag; JSON booleans are accepted as well.</summary>
    public bool RequireFlag(string name) => ReadFlag(name, Require(name));

    public bool? OptionalFlag(string name) => TryGet(name, out var v) ? ReadFlag(name, v) : null;

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
        data.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    internal static long ReadLong(string name, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Number) throw ProtocolException.InvalidData($"{name} must be an integer");
        if (v.TryGetInt64(out var l)) return FieldRanges.Check(name, l);
        // 1.0 is an integer written loosely; 1.5 or 1e30 is not.
        if (v.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue) return FieldRanges.Check(name, (long)d);
        throw ProtocolException.InvalidData(v.TryGetDouble(out var x) && x == Math.Floor(x)
            ? $"{name} is out of range" : $"{name} must be an integer");
    }

    internal static int ReadInt(string name, JsonElement v)
    {
        var l = ReadLong(name, v);
        if (l is < int.MinValue or > int.MaxValue) throw ProtocolException.InvalidData($"{name} is out of range");
        return (int)l;
    }

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
