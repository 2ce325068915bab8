using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Weekly sessions and holidays, evaluated on engine time (UTC).</summary>
public static class Sessions
{
    public static bool IsTradingOpen(SymbolConfig symbol, long timeMs) => IsOpen(symbol, timeMs, trade: true);

    public static bool IsQuotingOpen(SymbolConfig symbol, long timeMs) => IsOpen(symbol, timeMs, trade: false);

    private static bool IsOpen(SymbolConfig symbol, long timeMs, bool trade)
    {
        foreach (var off in symbol.Holidays)
        {
            if (timeMs >= off.FromMs && timeMs < off.ToMs) return false;
        }
        if (symbol.Sessions is null) return true;
        var t = DateTimeOffset.FromUnixTimeMilliseconds(timeMs);
        var day = symbol.Sessions[(int)t.DayOfWeek];
        var minute = t.Hour * 60 + t.Minute;
        foreach (var interval in trade ? day.Trade : day.Quote)
        {
            if (interval.Contains(minute)) return true;
        }
        return false;
    }
}
