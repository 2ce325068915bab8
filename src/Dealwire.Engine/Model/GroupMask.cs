namespace Dealwire.Engine.Model;

/// <summary>
/// A group mask as managers use them: comma-separated patterns with <c>*</c> wildcards, a leading
/// <c>!</c> excludes ("*,!demo*" = every group except those starting with demo). Case-insensitive.
/// </summary>
public sealed class GroupMask
{
    private readonly string[] _include;
    private readonly string[] _exclude;

    public static readonly GroupMask All = new("*");

    public GroupMask(string mask)
    {
        Text = string.IsNullOrWhiteSpace(mask) ? "*" : mask.Trim();
        var parts = Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _include = parts.Where(p => !p.StartsWith('!')).ToArray();
        _exclude = parts.Where(p => p.StartsWith('!')).Select(p => p[1..]).ToArray();
    }

    public string Text { get; }

    public bool Matches(string group)
    {
        foreach (var e in _exclude)
        {
            if (Wildcard(e, group)) return false;
        }
        foreach (var i in _include)
        {
            if (Wildcard(i, group)) return true;
        }
        return false;
    }

    public override string ToString() => Text;

    private static bool Wildcard(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
