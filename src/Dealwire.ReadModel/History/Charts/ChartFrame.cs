namespace Dealwire.ReadModel.History.Charts;

/// <summary>
/// A chart frame of the Server API (<c>GetChartData.frame</c>): either one of the timeframes the projector stores
/// (<see cref="Timeframes.All"/>) or a calendar frame (week, month) rolled up from the stored D1 candles on read,
/// so every frame agrees with the ticks exactly.
/// </summary>
public sealed record ChartFrame(string Name, int StoredMinutes, ChartFrame.Calendar Kind)
{
    public enum Calendar { None, Week, Month }

    /// <summary>Newest spellings first (<c>1M</c>…<c>1MN</c>), then the older MT-style ones (<c>M1</c>…<c>MN1</c>).</summary>
    private static readonly Dictionary<string, ChartFrame> ByName = new(StringComparer.Ordinal)
    {
        ["1M"] = new("1M", Timeframes.M1, Calendar.None), ["M1"] = new("1M", Timeframes.M1, Calendar.None),
        ["5M"] = new("5M", Timeframes.M5, Calendar.None), ["M5"] = new("5M", Timeframes.M5, Calendar.None),
        ["15M"] = new("15M", Timeframes.M15, Calendar.None), ["M15"] = new("15M", Timeframes.M15, Calendar.None),
        ["30M"] = new("30M", Timeframes.M30, Calendar.None), ["M30"] = new("30M", Timeframes.M30, Calendar.None),
        ["1H"] = new("1H", Timeframes.H1, Calendar.None), ["H1"] = new("1H", Timeframes.H1, Calendar.None),
        ["4H"] = new("4H", Timeframes.H4, Calendar.None), ["H4"] = new("4H", Timeframes.H4, Calendar.None),
        ["1D"] = new("1D", Timeframes.D1, Calendar.None), ["D1"] = new("1D", Timeframes.D1, Calendar.None),
        ["1W"] = new("1W", Timeframes.D1, Calendar.Week), ["W1"] = new("1W", Timeframes.D1, Calendar.Week),
        ["1MN"] = new("1MN", Timeframes.D1, Calendar.Month), ["MN1"] = new("1MN", Timeframes.D1, Calendar.Month),
        ["MN"] = new("1MN", Timeframes.D1, Calendar.Month),
    };

    /// <summary>Every accepted spelling, for the error message of an unknown one.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string name, out ChartFrame frame) => ByName.TryGetValue(name, out frame!);

    /// <summary>Start (Unix ms, UTC) of the frame period holding <paramref name="time"/>. Weeks start Monday 00:00 UTC.</summary>
    public long PeriodStart(long time)
    {
        switch (Kind)
        {
            case Calendar.Week:
                var day = DateTimeOffset.FromUnixTimeMilliseconds(Timeframes.PeriodStart(time, Timeframes.D1));
                var sinceMonday = ((int)day.DayOfWeek + 6) % 7;
                return day.AddDays(-sinceMonday).ToUnixTimeMilliseconds();
            case Calendar.Month:
                var t = DateTimeOffset.FromUnixTimeMilliseconds(time);
                return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            default:
                return Timeframes.PeriodStart(time, StoredMinutes);
        }
    }

    /// <summary>Last millisecond of the frame period holding <paramref name="time"/>.</summary>
    public long PeriodEnd(long time)
    {
        var start = PeriodStart(time);
        return Kind switch
        {
            Calendar.Week => start + 7 * 86_400_000L - 1,
            Calendar.Month => DateTimeOffset.FromUnixTimeMilliseconds(start).AddMonths(1).ToUnixTimeMilliseconds() - 1,
            _ => start + StoredMinutes * 60_000L - 1,
        };
    }

    /// <summary>
    /// Bid candles of this frame whose period starts in [<paramref name="from"/>, <paramref name="to"/>] (Unix ms),
    /// oldest first; no candle for a period without a tick.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> ReadAsync(IHistoryReports history, string symbol, long from, long to, CancellationToken cancellationToken = default)
    {
        if (Kind == Calendar.None) return await history.GetCandlesAsync(symbol, StoredMinutes, from, to, cancellationToken);
        // Calendar frames: roll the D1 candles of every period that starts in the window (the last one may run past it).
        var days = await history.GetCandlesAsync(symbol, Timeframes.D1, from, PeriodEnd(to), cancellationToken);
        var rolled = new List<Candle>();
        foreach (var d in days)
        {
            var start = PeriodStart(d.Time);
            if (start < from || start > to) continue;
            if (rolled.Count > 0 && rolled[^1].Time == start)
            {
                var c = rolled[^1];
                rolled[^1] = c with { High = Math.Max(c.High, d.High), Low = Math.Min(c.Low, d.Low), Close = d.Close, Ticks = c.Ticks + d.Ticks };
            }
            else
            {
                rolled.Add(d with { Time = start, Timeframe = 0 });
            }
        }
        return rolled;
    }
}
