using System.Globalization;

namespace Dealwire.Feeds.Replay;

/// <summary>
/// Recorded ticks read from CSV lines <c>symbol,bid,ask,time_ms</c> (invariant culture, an optional
/// header line, blank lines and <c>#</c> comments ignored). Lines that do not parse are skipped and counted.
/// </summary>
public sealed class ReplayTape
{
    private ReplayTape(IReadOnlyList<RawTick> ticks, IReadOnlyList<string> skipped)
    {
        Ticks = ticks;
        SkippedLines = skipped;
    }

    public IReadOnlyList<RawTick> Ticks { get; }

    /// <summary>"line N: reason" for every line that was not a valid tick.</summary>
    public IReadOnlyList<string> SkippedLines { get; }

    public static ReplayTape Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader);
    }

    public static ReplayTape Parse(TextReader reader)
    {
        var ticks = new List<RawTick>();
        var skipped = new List<string>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            if (number == 1 && text.StartsWith("symbol", StringComparison.OrdinalIgnoreCase)) continue;
            if (TryParse(text, out var tick, out var reason)) ticks.Add(tick);
            else skipped.Add($"line {number}: {reason}");
        }
        return new ReplayTape(ticks, skipped);
    }

    private static bool TryParse(string text, out RawTick tick, out string reason)
    {
        tick = default;
        var fields = text.Split(',', StringSplitOptions.TrimEntries);
        if (fields.Length != 4)
        {
            reason = $"expected 4 fields (symbol,bid,ask,time_ms), found {fields.Length}";
            return false;
        }
        // A signed price parses so that the quote filter, not the reader, counts it as non-positive.
        const NumberStyles number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (fields[0].Length == 0)
        {
            reason = "empty symbol";
            return false;
        }
        if (!decimal.TryParse(fields[1], number, CultureInfo.InvariantCulture, out var bid)
            || !decimal.TryParse(fields[2], number, CultureInfo.InvariantCulture, out var ask))
        {
            reason = "bid and ask must be plain decimal numbers";
            return false;
        }
        if (!long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var time))
        {
            reason = "time_ms must be a non-negative integer (Unix milliseconds)";
            return false;
        }
        tick = new RawTick(fields[0], bid, ask, time);
        reason = "";
        return true;
    }
}
