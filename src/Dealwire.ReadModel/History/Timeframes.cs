namespace Dealwire.ReadModel.History;

/// <summary>Candle periods, in minutes (the number stored in <c>candles.timeframe</c>).</summary>
public static class Timeframes
{
    public const int M1 = 1, M5 = 5, M15 = 15, M30 = 30, H1 = 60, H4 = 240, D1 = 1440;

    /// <summary>Every timeframe the projector keeps. Each is rolled from ticks directly (not from M1), so all agree exactly.</summary>
    public static readonly int[] All = [M1, M5, M15, M30, H1, H4, D1];

    /// <summary>Start of the period holding <paramref name="time"/> (Unix ms, UTC; D1 starts at midnight UTC).</summary>
    public static long PeriodStart(long time, int minutes)
    {
        var span = minutes * 60_000L;
        return time - (((time % span) + span) % span);
    }
}
