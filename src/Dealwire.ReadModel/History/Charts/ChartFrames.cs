namespace Dealwire.ReadModel.History;

/// <summary>
/// The chart frames of GetChartData (scaletrade-tcp §7.8): the newest spellings (1M, 5M, 15M, 30M, 1H, 4H, 1D, 1W, 1MN)
/// and the older ones (M1, H1, D1, …). Frames up to D1 are stored; W1 and MN1 are folded from D1 when read
/// (weeks start on Monday 00:00 UTC, months on the 1st), so they need no rows of their own.
/// </summary>
public static class ChartFrames
{
    /// <summary>Pseudo-timeframes of the two folded frames (minutes of a week; a month has no fixed length).</summary>
    public const int W1 = 10080, MN1 = 43200;

    private static readonly Dictionary<string, int> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["1M"] = Timeframes.M1, ["M1"] = Timeframes.M1,
        ["5M"] = Timeframes.M5, ["M5"] = Timeframes.M5,
        ["15M"] = Timeframes.M15, ["M15"] = Timeframes.M15,
        ["30M"] = Timeframes.M30, ["M30"] = Timeframes.M30,
        ["1H"] = Timeframes.H1, ["H1"] = Timeframes.H1,
        ["4H"] = Timeframes.H4, ["H4"] = Timeframes.H4,
        ["1D"] = Timeframes.D1, ["D1"] = Timeframes.D1,
        ["1W"] = W1, ["W1"] = W1,
        ["1MN"] = MN1, ["MN1"] = MN1, ["MN"] = MN1,
    };

    public static IEnumerable<string> Spellings => Names.Keys;

    public static bool TryParse(string? frame, out int timeframe) => Names.TryGetValue(frame ?? "", out timeframe);

    /// <summary>Candles of a frame with period start in [from, to] (Unix ms), oldest first.</summary>
    public static async Task<IReadOnlyList<Candle>> ReadAsync(IHistoryReports reports, string symbol, int timeframe, long from, long to,
        CancellationToken cancellationToken = default)
    {
        if (timeframe is not (W1 or MN1)) return await reports.GetCandlesAsync(symbol, timeframe, from, to, cancellationToken);
        Func<long, long> start = timeframe == W1 ? WeekStart : MonthStart;
        // A folded candle counts when its period starts in [from, to], as for the stored frames; the last one needs
        // the days after `to` that its period holds (a month is at most 31 days).
        var days = await reports.GetCandlesAsync(symbol, Timeframes.D1, from, to + 31 * Day, cancellationToken);
        return CandleRollup.Roll(days, timeframe, start).Where(k => k.Time >= from && k.Time <= to).ToList();
    }

    private const long Day = 86_400_000L;

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="time"/> (1970-01-05 was a Monday).</summary>
    public static long WeekStart(long time)
    {
        var sinceMonday = (((time - 4 * Day) % (7 * Day)) + 7 * Day) % (7 * Day);
        return time - sinceMonday;
    }

    /// <summary>The 1st of the month holding <paramref name="time"/>, 00:00 UTC.</summary>
    public static long MonthStart(long time)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(time);
        return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }
}
