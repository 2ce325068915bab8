namespace Dealwire.Feeds.Synthetic;

/// <summary>How the synthetic feed prices one symbol: where it starts, how wide and how fast it moves.</summary>
public sealed class SyntheticInstrument
{
    public string Symbol { get; set; } = "";

    /// <summary>Starting mid price; the walk is pulled gently back toward it.</summary>
    public decimal Price { get; set; }

    public int Digits { get; set; } = 5;

    /// <summary>The spread of each tick is drawn uniformly from [min, max] points.</summary>
    public int MinSpreadPoints { get; set; } = 10;

    public int MaxSpreadPoints { get; set; } = 20;

    /// <summary>Standard deviation of one tick's mid move, in points.</summary>
    public double VolatilityPoints { get; set; } = 3;

    /// <summary>The embedded default's instruments with spreads a retail broker would quote.</summary>
    public static IReadOnlyList<SyntheticInstrument> Demo { get; } =
    [
        new() { Symbol = "EURUSD", Price = 1.08500m, Digits = 5, MinSpreadPoints = 6, MaxSpreadPoints = 12, VolatilityPoints = 3 },
        new() { Symbol = "GBPUSD", Price = 1.27000m, Digits = 5, MinSpreadPoints = 9, MaxSpreadPoints = 16, VolatilityPoints = 4 },
        new() { Symbol = "USDJPY", Price = 151.500m, Digits = 3, MinSpreadPoints = 8, MaxSpreadPoints = 14, VolatilityPoints = 3 },
        new() { Symbol = "XAUUSD", Price = 2350.00m, Digits = 2, MinSpreadPoints = 20, MaxSpreadPoints = 40, VolatilityPoints = 15 },
        new() { Symbol = "US500", Price = 5200.0m, Digits = 1, MinSpreadPoints = 4, MaxSpreadPoints = 8, VolatilityPoints = 3 },
        new() { Symbol = "BTCUSD", Price = 65000.00m, Digits = 2, MinSpreadPoints = 1500, MaxSpreadPoints = 3000, VolatilityPoints = 1000 },
    ];

    /// <summary>Throws with a readable reason when the settings cannot produce valid prices.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Symbol)) throw new ArgumentException("A synthetic instrument needs a Symbol.");
        if (Price <= 0) throw new ArgumentException($"{Symbol}: Price must be positive.");
        if (Digits is < 0 or > 10) throw new ArgumentException($"{Symbol}: Digits must be between 0 and 10.");
        if (MinSpreadPoints < 0 || MaxSpreadPoints < MinSpreadPoints)
        {
            throw new ArgumentException($"{Symbol}: spreads must satisfy 0 <= MinSpreadPoints <= MaxSpreadPoints.");
        }
        if (VolatilityPoints < 0 || double.IsNaN(VolatilityPoints)) throw new ArgumentException($"{Symbol}: VolatilityPoints must be >= 0.");
    }
}
