namespace Dealwire.Feeds.Synthetic;

/// <summary>Settings of the <see cref="SyntheticFeed"/> (configuration section <c>Feed</c>).</summary>
public sealed class SyntheticFeedOptions
{
    /// <summary>Ticks per second for every symbol; raise it to load-test the engine.</summary>
    public double TicksPerSecondPerSymbol { get; set; } = 4;

    /// <summary>Seed of the random walk; the same seed gives the same price path. Null = a random seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Fraction of the distance to the starting price recovered per tick, so a long run stays plausible.</summary>
    public double MeanReversion { get; set; } = 0.001;

    /// <summary>The instruments to price; empty = <see cref="SyntheticInstrument.Demo"/>.</summary>
    public List<SyntheticInstrument> Instruments { get; set; } = [];
}
