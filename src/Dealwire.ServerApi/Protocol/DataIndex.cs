using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Where each top-level property of a request's <c>data</c> object lies in the line, recorded during the one
/// parse pass, so a handler reading <c>login</c> or <c>symbol</c> costs a scan of a few names and no document.
/// Names written with escapes cannot be compared as bytes: then <see cref="NeedsDocument"/> sends the reader
/// to the JSON document instead, which compares them unescaped.
/// </summary>
internal sealed class DataIndex
{
    private Property[] _properties = new Property[16];

    public int Count { get; private set; }

    /// <summary>Whether the request had a <c>data</c> object; [Start, End) are its bytes, braces included.</summary>
    public bool Present { get; private set; }

    public int Start { get; private set; }

    public int End { get; private set; }

    public bool NeedsDocument { get; private set; }

    /// <summary>Reads the object the reader stands on (its StartObject) to its EndObject.</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        Clear();
        Present = true;
        Start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex + 1;
            var nameLength = reader.ValueSpan.Length;
            if (reader.ValueIsEscaped) NeedsDocument = true;
            reader.Read();
            var kind = reader.TokenType;
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            if (Count == _properties.Length) Array.Resize(ref _properties, Count * 2);
            _properties[Count++] = new Property(nameStart, nameLength, kind, valueStart, (int)reader.BytesConsumed);
        }
        End = (int)reader.BytesConsumed;
    }

    public void Clear()
    {
        Count = 0;
        Present = false;
        NeedsDocument = false;
        Start = End = 0;
        // A request with hundreds of fields should not keep a big table in the pool.
        if (_properties.Length > 64) _properties = new Property[16];
    }

    /// <summary>The property named <paramref name="name"/>; the last one when a name repeats (as a JSON document reads it).</summary>
    public bool TryFind(ReadOnlySpan<byte> line, string name, out Property property)
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            var p = _properties[i];
            if (p.NameLength == name.Length && System.Text.Ascii.Equals(line.Slice(p.NameStart, p.NameLength), name))
            {
                property = p;
                return true;
            }
        }
        property = default;
        return false;
    }

    /// <summary>One property: its raw name, the kind of its value and the value's bytes [Start, End), quotes included.</summary>
    internal readonly record struct Property(int NameStart, int NameLength, JsonTokenType Kind, int Start, int End);
}
