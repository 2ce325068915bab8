using System.Text;
using System.Text.Json;

namespace Dealwire.Client.Protocol;

/// <summary>
/// Reuses one string per symbol name so a quote tick allocates nothing for its symbol. Used by the single
/// reader loop only (not thread-safe by design).
/// </summary>
internal sealed class SymbolNameCache
{
    private const int MaxEntries = 16_384;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SymbolNameCache() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The current string token of <paramref name="reader"/> as a cached string.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 64) return reader.GetString() ?? "";
        Span<char> chars = stackalloc char[64];
        if (!Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var count)) return reader.GetString() ?? "";
        var name = chars[..count];
        if (_lookup.TryGetValue(name, out var cached)) return cached;
        var created = new string(name);
        if (_names.Count < MaxEntries) _names[created] = created;
        return created;
    }
}
