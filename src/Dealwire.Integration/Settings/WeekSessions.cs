using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Settings;

namespace Dealwire.Integration.Settings;

/// <summary>
/// The vendor's inline day-off windows (<c>DowFrom TimeFrom → DowTo TimeTo</c>, 0 = Sunday, <c>HH:mm</c>) against a
/// symbol's weekly sessions: a window closes quoting and trading for its minutes of the week. Going back, every
/// closed stretch of the week is one window. A symbol with no sessions configured trades all week (no windows).
/// </summary>
public static class WeekSessions
{
    private const int MinutesPerDay = 24 * 60;
    private const int MinutesPerWeek = 7 * MinutesPerDay;

    /// <summary>Weekly sessions open everywhere except in the windows; null when there are none (all week open).</summary>
    public static IReadOnlyList<DaySessions>? FromDaysOff(IEnumerable<TradingInstrumentDayOffGrpcModel> windows)
    {
        var closed = new bool[MinutesPerWeek];
        var any = false;
        foreach (var w in windows)
        {
            var from = Minute(w.DowFrom, w.TimeFrom);
            var to = Minute(w.DowTo, w.TimeTo);
            if (from == to) continue;
            any = true;
            // A window may wrap past Saturday midnight into Sunday.
            for (var m = from; m != to; m = (m + 1) % MinutesPerWeek) closed[m] = true;
        }
        if (!any) return null;
        var days = new List<DaySessions>(7);
        for (var day = 0; day < 7; day++)
        {
            var intervals = new List<SessionInterval>();
            var start = -1;
            for (var m = 0; m <= MinutesPerDay; m++)
            {
                var open = m < MinutesPerDay && !closed[day * MinutesPerDay + m];
                if (open && start < 0) start = m;
                if (!open && start >= 0)
                {
                    intervals.Add(new SessionInterval(start, m));
                    start = -1;
                }
            }
            days.Add(new DaySessions(intervals, intervals));
        }
        return days;
    }

    /// <summary>The closed stretches of a symbol's trade sessions as day-off windows.</summary>
    public static IEnumerable<TradingInstrumentDayOffGrpcModel> ToDaysOff(IReadOnlyList<DaySessions>? sessions)
    {
        if (sessions is not { Count: 7 }) yield break;
        var closed = new bool[MinutesPerWeek];
        for (var day = 0; day < 7; day++)
        {
            for (var m = 0; m < MinutesPerDay; m++) closed[day * MinutesPerDay + m] = !sessions[day].Trade.Any(i => i.Contains(m));
        }
        // Scan from the first open minute, wrapping once around the week, so a window across Saturday→Sunday stays one window.
        var origin = Array.IndexOf(closed, false);
        if (origin < 0) yield break;
        var start = -1;
        for (var i = 0; i <= MinutesPerWeek; i++)
        {
            var m = (origin + i) % MinutesPerWeek;
            var isClosed = i < MinutesPerWeek && closed[m];
            if (isClosed && start < 0) start = m;
            if (!isClosed && start >= 0)
            {
                yield return new TradingInstrumentDayOffGrpcModel
                {
                    DowFrom = start / MinutesPerDay, TimeFrom = Clock(start % MinutesPerDay),
                    DowTo = m / MinutesPerDay, TimeTo = Clock(m % MinutesPerDay),
                };
                start = -1;
            }
        }
    }

    private static int Minute(int dow, string time)
    {
        if (dow is < 0 or > 6) throw SettingsAccess.Invalid($"day of week {dow} is not 0 (Sunday) to 6 (Saturday)");
        if (!TimeOnly.TryParseExact(time, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t))
        {
            throw SettingsAccess.Invalid($"time '{time}' is not HH:mm");
        }
        return dow * MinutesPerDay + t.Hour * 60 + t.Minute;
    }

    private static string Clock(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}
