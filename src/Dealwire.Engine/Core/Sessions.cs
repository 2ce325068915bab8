using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Weekly sessions and holidays, evaluated on engine time (UTC).</summary>
public static class Sessions
{
    public static bool IsTradingOpen(SymbolConfig symbol, long timeMs) => IsOpen(symbol, timeMs, trade: true);

    public static bool IsQuotingOpen(SymbolConfig symbol, long timeMs) => IsOpen(symbol, timeMs, trade: false);

    private static bool IsOpen(SymbolConfig symbol, long timeMs, bool trade)
    {
        // Indexed loops: foreach over an IReadOnlyList allocates an enumerator, and this runs on every tick and deal.
        var holidays = symbol.Holidays;
        for (var i = 0; i < holidays.Count; i++)
        {
            if (timeMs >= holidays[i].FromMs && timeMs < holidays[i].ToMs) return false;
        }
        if (symbol.Sessions is null) return true;
        var t = DateTimeOffset.FromUnixTimeMilliseconds(timeMs);
        var day = symbol.Sessions[(int)t.DayOfWeek];
        var minute = t.Hour * 60 + t.Minute;
        var intervals = trade ? day.Trade : day.Quote;
        for (var i = 0; i < intervals.Count; i++)
        {
            if (intervals[i].Contains(minute)) return true;
        }
        return false;
    }
}
