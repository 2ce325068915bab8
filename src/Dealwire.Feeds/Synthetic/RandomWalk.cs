namespace Dealwire.Feeds.Synthetic;

/// <summary>
/// The price path of the synthetic feed: per instrument, a mean-reverting Gaussian random walk of the
/// mid in integer points, with a random spread around it. Integer points keep every price an exact
/// multiple of the symbol's point; only the size of a step comes from floating-point randomness.
/// </summary>
public sealed class RandomWalk
{
    private readonly SyntheticInstrument[] _instruments;
    private readonly long[] _startPoints;
    private readonly long[] _midPoints;
    private readonly decimal[] _point;
    private readonly Random _random;
    private readonly double _meanReversion;

    public RandomWalk(IReadOnlyList<SyntheticInstrument> instruments, int? seed, double meanReversion)
    {
        if (instruments.Count == 0) throw new ArgumentException("The synthetic feed needs at least one instrument.", nameof(instruments));
        foreach (var instrument in instruments) instrument.Validate();
        _instruments = instruments.ToArray();
        _point = _instruments.Select(i => Pow10(-i.Digits)).ToArray();
        _startPoints = _instruments.Select((i, n) => (long)Math.Round(i.Price / _point[n])).ToArray();
        _midPoints = (long[])_startPoints.Clone();
        _random = seed is { } s ? new Random(s) : new Random();
        _meanReversion = Math.Clamp(meanReversion, 0, 1);
    }

    public int Count => _instruments.Length;

    public IReadOnlyList<SyntheticInstrument> Instruments => _instruments;

    /// <summary>Moves instrument <paramref name="index"/> one step and returns its new quote stamped <paramref name="time"/>.</summary>
    public RawTick Next(int index, long time)
    {
        var instrument = _instruments[index];
        var mid = _midPoints[index];
        var pull = (_startPoints[index] - mid) * _meanReversion;
        var step = (long)Math.Round(Gaussian() * instrument.VolatilityPoints + pull);
        var spread = _random.Next(instrument.MinSpreadPoints, instrument.MaxSpreadPoints + 1);
        // A walk never reaches zero: a floor at a tenth of the start keeps bid positive whatever the draw.
        mid = Math.Max(mid + step, Math.Max(_startPoints[index] / 10, spread + 1));
        _midPoints[index] = mid;

        var bidPoints = mid - spread / 2;
        var point = _point[index];
        return new RawTick(instrument.Symbol, bidPoints * point, (bidPoints + spread) * point, time);
    }

    /// <summary>Standard normal draw (Box–Muller).</summary>
    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i > exponent; i--) result /= 10m;
        return result;
    }
}
