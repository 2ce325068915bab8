namespace Dealwire.Engine.Commands;

/// <summary>What a manager's chart edit does to the stored M1 bid candles of a symbol (scaletrade-tcp §7.8).</summary>
public enum ChartEditKind
{
    /// <summary>ImportChartData flushData 0: the imported bars replace the M1 candles of the range they span.</summary>
    ImportRange = 1,

    /// <summary>ImportChartData flushData 1: every candle of the symbol is dropped, then the bars are stored.</summary>
    ImportAll = 2,

    /// <summary>DeleteChartCandle: the M1 candle at the bar's time goes.</summary>
    DeleteCandle = 3,

    /// <summary>UpdateChartCandle: the M1 candle at the bar's time takes the bar's values (created if missing).</summary>
    UpdateCandle = 4,

    /// <summary>DeleteChartPeriod: every M1 candle in [From, To] goes.</summary>
    DeletePeriod = 5,

    /// <summary>FixSpikeCandle: the M1 candle at From keeps its open and close; high and low shrink to its body.</summary>
    FixSpike = 6,
}

/// <summary>One candle as a manager writes it: period start (Unix ms), prices and volume (ticks).</summary>
public sealed record ChartBar(long Time, decimal Open, decimal High, decimal Low, decimal Close, long Volume);

/// <summary>
/// A manager's edit of a symbol's chart. The engine keeps no candles: it only checks the symbol and the bars, so the
/// edit is journaled in order with the ticks (replay, rebuild and a standby all see it), and the history projector
/// applies it to the candle tables.
/// </summary>
public sealed record EditChart(string Symbol, ChartEditKind Kind, IReadOnlyList<ChartBar> Bars, long From = 0, long To = 0)
    : EngineCommand<int>;
