using System.Collections.Concurrent;
using System.Text;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Strings that arrive again and again in request lines, turned from their UTF-8 bytes into a string without
/// allocating one per command: command names (a closed set, interned once) and tokens (a client repeats the same
/// JWT on every line, so each thread keeps the few it saw last). Both compare bytes, never trust a hash alone.
/// </summary>
internal static class Utf8Strings
{
    // Command names are a small closed set; garbage names are only cached up to the cap, never evicting good ones.
    private const int MaxInternedNames = 1024;
    private const int MaxNameChars = 128;
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> NameLookup =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    // Short identifiers of data (symbol, group names): a bounded set in any real broker, so interned up to a cap.
    public const int MaxShortChars = 32;
    private const int MaxInternedShort = 4096;
    private static readonly ConcurrentDictionary<string, string> ShortTexts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ShortLookup =
        ShortTexts.GetAlternateLookup<ReadOnlySpan<char>>();

    private const int RecentTokens = 4;
    [ThreadStatic] private static string?[]? _recentTokens;
    [ThreadStatic] private static int _nextToken;

    /// <summary>The string of an unescaped, valid UTF-8 command name; the same instance every time.</summary>
    public static string Name(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxNameChars) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxNameChars];
        var n = Encoding.UTF8.GetChars(utf8, chars);
        if (NameLookup.TryGetValue(chars[..n], out var known)) return known;
        var name = new string(chars[..n]);
        return Names.Count < MaxInternedNames ? Names.GetOrAdd(name, name) : name;
    }

    /// <summary>
    /// The string of a short unescaped, valid UTF-8 value such as a symbol name; once the cap is reached, values
    /// not yet seen get a string of their own each time (a client sending random names cannot grow the table).
    /// </summary>
    public static string Short(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxShortChars) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxShortChars];
        var n = Encoding.UTF8.GetChars(utf8, chars);
        if (ShortLookup.TryGetValue(chars[..n], out var known)) return known;
        var text = new string(chars[..n]);
        return ShortTexts.Count < MaxInternedShort ? ShortTexts.GetOrAdd(text, text) : text;
    }

    /// <summary>
    /// The string of an unescaped, valid UTF-8 token: the instance this thread made last time when the bytes are
    /// equal (a connection's cached verification then matches by reference), else a new one remembered.
    /// </summary>
    public static string Token(ReadOnlySpan<byte> utf8)
    {
        var recent = _recentTokens ??= new string?[RecentTokens];
        foreach (var token in recent)
        {
            // Tokens are ASCII (base64url and dots); a non-ASCII line never matches and gets its own string.
            if (token is not null && token.Length == utf8.Length && System.Text.Ascii.Equals(utf8, token)) return token;
        }
        var made = Encoding.UTF8.GetString(utf8);
        recent[_nextToken] = made;
        _nextToken = (_nextToken + 1) % RecentTokens;
        return made;
    }
}
