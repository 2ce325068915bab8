namespace Dealwire.Engine.Model;

/// <summary>A tradable instrument's configuration. Immutable: an update replaces the whole record.</summary>
public sealed record SymbolConfig
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Feed alias: the feed's name for this symbol when it differs.</summary>
    public string Source { get; init; } = "";
    /// <summary>Symbol group ("security") index.</summary>
    public int SecurityIndex { get; init; }
    /// <summary>Stable numeric index (sym_index), assigned by the engine when 0.</summary>
    public int SymbolIndex { get; init; }
    public int SortIndex { get; init; }
    public int Digits { get; init; } = 5;
    public decimal ContractSize { get; init; } = 100_000m;
    /// <summary>Minimal price change; 0 = one point.</summary>
    public decimal TickSize { get; init; }
    /// <summary>Value of one tick for one lot in the profit currency; 0 = derived (tick size × contract size).</summary>
    public decimal TickValue { get; init; }
    public ProfitCalcMode ProfitMode { get; init; } = ProfitCalcMode.Forex;
    public MarginCalcMode MarginMode { get; init; } = MarginCalcMode.Forex;
    public string BaseCurrency { get; init; } = "";
    public string ProfitCurrency { get; init; } = "USD";
    public string MarginCurrency { get; init; } = "";
    public SymbolTradeMode TradeMode { get; init; } = SymbolTradeMode.Full;
    public bool LongOnly { get; init; }
    /// <summary>Minimal SL/TP and pending-price distance from the market, in points.</summary>
    public int StopsLevel { get; init; }
    /// <summary>Distance from the market within which orders and stops may not be modified, in points.</summary>
    public int FreezeLevel { get; init; }
    /// <summary>Fixed spread in points applied to raw prices (0 = floating, as fed).</summary>
    public int Spread { get; init; }
    /// <summary>Skew of a fixed spread toward bid (negative) or ask (positive), in points.</summary>
    public int SpreadBalance { get; init; }
    /// <summary>Initial margin per lot for futures mode, in margin currency.</summary>
    public decimal MarginInitial { get; init; }
    /// <summary>
    /// Contract size used to margin hedged volume (each leg); null = hedged legs are margined in full,
    /// 0 = hedged volume needs no margin, half the contract size = half margin.
    /// </summary>
    public decimal? MarginHedged { get; init; }
    /// <summary>Divides required margin (per-instrument leverage adjustment).</summary>
    public decimal MarginDivider { get; init; } = 1m;
    public bool SwapEnabled { get; init; }
    public SwapType SwapType { get; init; } = SwapType.Points;
    public decimal SwapLong { get; init; }
    public decimal SwapShort { get; init; }
    /// <summary>Weekday booked three times (covers the weekend).</summary>
    public DayOfWeek TripleSwapDay { get; init; } = DayOfWeek.Wednesday;
    /// <summary>Charge every calendar day and ignore the triple-swap day.</summary>
    public bool SwapDaily { get; init; }
    /// <summary>Largest volume for one deal (centi-lots); 0 = unlimited.</summary>
    public int MaxVolume { get; init; }
    /// <summary>Weekly sessions, index 0 = Sunday; null = open around the clock.</summary>
    public IReadOnlyList<DaySessions>? Sessions { get; init; }
    /// <summary>Day-off windows (holidays) during which the instrument neither trades nor triggers.</summary>
    public IReadOnlyList<DayOff> Holidays { get; init; } = [];

    public decimal Point => PowersOfTen.Negative(Digits);

    public decimal EffectiveTickSize => TickSize > 0 ? TickSize : Point;

    public decimal EffectiveTickValue => TickValue > 0 ? TickValue : EffectiveTickSize * ContractSize;

    public string EffectiveMarginCurrency => MarginCurrency.Length > 0 ? MarginCurrency
        : MarginMode == MarginCalcMode.Forex && BaseCurrency.Length > 0 ? BaseCurrency : ProfitCurrency;
}

/// <summary>Quote and trade intervals of one weekday, minutes from midnight, close exclusive.</summary>
public sealed record DaySessions(IReadOnlyList<SessionInterval> Quote, IReadOnlyList<SessionInterval> Trade)
{
    public static readonly DaySessions AllDay = new([SessionInterval.AllDay], [SessionInterval.AllDay]);
    public static readonly DaySessions Closed = new([], []);
}

public readonly record struct SessionInterval(int OpenMinute, int CloseMinute)
{
    public static readonly SessionInterval AllDay = new(0, 24 * 60);

    public bool Contains(int minuteOfDay) => minuteOfDay >= OpenMinute && minuteOfDay < CloseMinute;
}

/// <summary>A holiday window, Unix milliseconds, end exclusive.</summary>
public sealed record DayOff(long FromMs, long ToMs, string Description = "");

internal static class PowersOfTen
{
    private static readonly decimal[] NegativePowers =
        [1m, 0.1m, 0.01m, 0.001m, 0.0001m, 0.00001m, 0.000001m, 0.0000001m, 0.00000001m, 0.000000001m, 0.0000000001m];

    public static decimal Negative(int digits) => NegativePowers[Math.Clamp(digits, 0, NegativePowers.Length - 1)];
}
