namespace Dealwire.ReadModel.History;

/// <summary>Folds candles of a smaller timeframe into a larger one: first open, highest high, lowest low, last close, summed volume.</summary>
public static class CandleRollup
{
    /// <param name="candles">Oldest first.</param>
    /// <param name="timeframe">The number stored with the larger candles.</param>
    /// <param name="periodStart">The larger period holding a smaller candle's start time.</param>
    public static List<Candle> Roll(IEnumerable<Candle> candles, int timeframe, Func<long, long> periodStart)
    {
        var rolled = new List<Candle>();
        foreach (var k in candles)
        {
            var start = periodStart(k.Time);
            if (rolled.Count > 0 && rolled[^1].Time == start)
            {
                var c = rolled[^1];
                rolled[^1] = c with { High = Math.Max(c.High, k.High), Low = Math.Min(c.Low, k.Low), Close = k.Close, Ticks = c.Ticks + k.Ticks };
            }
            else
            {
                rolled.Add(new Candle(k.Symbol, timeframe, start, k.Open, k.High, k.Low, k.Close, k.Ticks));
            }
        }
        return rolled;
    }
}
