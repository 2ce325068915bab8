using System.Globalization;

namespace Dealwire.Feeds.Fix;

/// <summary>
/// A FIX message as an ordered list of tag=value fields. Order matters: repeating groups are read by walking
/// the fields in order, a group entry starting at its delimiter tag. Header and trailer fields (8, 9, 10) are
/// not kept here; <see cref="FixCodec"/> writes and checks them.
/// </summary>
public sealed class FixMessage
{
    private readonly List<KeyValuePair<int, string>> _fields;

    public FixMessage(string msgType)
    {
        _fields = [new(FixTags.MsgType, msgType)];
    }

    internal FixMessage(List<KeyValuePair<int, string>> fields) => _fields = fields;

    public string MsgType => Get(FixTags.MsgType) ?? "";

    public IReadOnlyList<KeyValuePair<int, string>> Fields => _fields;

    public long SeqNum => GetLong(FixTags.MsgSeqNum) ?? 0;

    public bool PossDup => Get(FixTags.PossDupFlag) == "Y";

    public FixMessage Set(int tag, string value)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Key != tag) continue;
            _fields[i] = new(tag, value);
            return this;
        }
        return Add(tag, value);
    }

    public FixMessage Set(int tag, long value) => Set(tag, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Appends a field even when the tag is present already (repeating groups).</summary>
    public FixMessage Add(int tag, string value)
    {
        if (value.Contains('\u0001', StringComparison.Ordinal)) throw new ArgumentException($"Tag {tag}: a FIX value cannot contain SOH.", nameof(value));
        _fields.Add(new(tag, value));
        return this;
    }

    public FixMessage Add(int tag, long value) => Add(tag, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The first value of <paramref name="tag"/>, or null.</summary>
    public string? Get(int tag)
    {
        foreach (var field in _fields)
        {
            if (field.Key == tag) return field.Value;
        }
        return null;
    }

    public long? GetLong(int tag) =>
        long.TryParse(Get(tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public override string ToString() => string.Join('|', _fields.Select(f => $"{f.Key}={f.Value}"));
}
