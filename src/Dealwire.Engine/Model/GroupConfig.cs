namespace Dealwire.Engine.Model;

/// <summary>A trading group: the account currency, risk levels and per-security dealing settings.</summary>
public sealed record GroupConfig
{
    public required string Name { get; init; }
    public string Company { get; init; } = "Dealwire";
    public string Brand { get; init; } = "";
    public string Currency { get; init; } = "USD";
    /// <summary>Decimal places money is booked with in this group's currency.</summary>
    public int CurrencyDigits { get; init; } = 2;
    public bool Enabled { get; init; } = true;
    public bool IsReal { get; init; }
    public int DefaultLeverage { get; init; } = 100;
    public decimal DefaultDeposit { get; init; }
    public decimal MarginCall { get; init; } = 100m;
    public decimal StopOut { get; init; } = 50m;
    public MarginLevelUnit MarginLevelUnit { get; init; } = MarginLevelUnit.Percent;
    public FreeMarginMode FreeMarginMode { get; init; } = FreeMarginMode.UseAll;
    public PositionAccounting Accounting { get; init; } = PositionAccounting.Hedging;
    /// <summary>Charge margin on the larger leg of hedged positions only.</summary>
    public bool HedgeLargeLeg { get; init; }
    /// <summary>Leave fully hedged accounts alone at stop-out.</summary>
    public bool StopOutSkipHedged { get; init; }
    public NegativeBalancePolicy NegativeBalancePolicy { get; init; } = NegativeBalancePolicy.Keep;
    public bool PartialCloseAllowed { get; init; } = true;
    public bool UseSwap { get; init; } = true;
    /// <summary>Most open positions plus pending orders per account; 0 = unlimited.</summary>
    public int MaxPositions { get; init; }
    /// <summary>Fill SL/TP at the market price after the trigger (true) or exactly at the level (false).</summary>
    public bool SlTpSlippage { get; init; } = true;
    /// <summary>
    /// The symbol groups (securities) this group may deal, each with its dealing settings. <c>null</c> = not
    /// configured: every symbol group, with default settings. An empty list = none: nothing can be traded.
    /// </summary>
    public IReadOnlyList<GroupSecurity>? Securities { get; init; }
    public IReadOnlyList<GroupSymbolOverride> SymbolOverrides { get; init; } = [];

    public GroupSecurity? FindSecurity(int securityIndex)
    {
        // Indexed: foreach over an IReadOnlyList would allocate an enumerator on every deal.
        var securities = Securities;
        if (securities is null) return null;
        for (var i = 0; i < securities.Count; i++)
        {
            if (securities[i].SecurityIndex == securityIndex) return securities[i];
        }
        return null;
    }

    public GroupSymbolOverride? FindOverride(string symbol)
    {
        var overrides = SymbolOverrides;
        for (var i = 0; i < overrides.Count; i++)
        {
            if (string.Equals(overrides[i].Symbol, symbol, StringComparison.Ordinal)) return overrides[i];
        }
        return null;
    }
}

/// <summary>Per symbol-group dealing settings inside a trading group (secgroups).</summary>
public sealed record GroupSecurity
{
    public int SecurityIndex { get; init; }
    public bool Show { get; init; } = true;
    public bool TradeAllowed { get; init; } = true;
    /// <summary>Smallest deal, centi-lots (1 = 0.01 lot).</summary>
    public int LotMin { get; init; } = 1;
    public int LotMax { get; init; } = 10_000;
    public int LotStep { get; init; } = 1;
    /// <summary>Added to the feed's spread, in points, split between bid and ask.</summary>
    public int SpreadDiff { get; init; }
    public decimal Commission { get; init; }
    public CommissionType CommissionType { get; init; } = CommissionType.Money;
    public CommissionBase CommissionBase { get; init; } = CommissionBase.PerLot;
    public CommissionCharge CommissionCharge { get; init; } = CommissionCharge.OnOpen;
    public decimal AgentCommission { get; init; }
    public CommissionType AgentCommissionType { get; init; } = CommissionType.Money;
    public CommissionBase AgentCommissionBase { get; init; } = CommissionBase.PerLot;
    /// <summary>TRADE_DENY_* flags (1 close-by denied, 2 multiple close-by denied).</summary>
    public int TradeRights { get; init; }
}

/// <summary>Per-symbol overrides inside a trading group (secmargins), including markups.</summary>
public sealed record GroupSymbolOverride
{
    public required string Symbol { get; init; }
    public bool? SwapEnabled { get; init; }
    public decimal? SwapLong { get; init; }
    public decimal? SwapShort { get; init; }
    /// <summary>Replaces the symbol's swap type for this group (a swap profile); null = the symbol's.</summary>
    public SwapType? SwapType { get; init; }
    /// <summary>Replaces the symbol's margin divider (per-instrument leverage).</summary>
    public decimal? MarginDivider { get; init; }
    /// <summary>When set, the group sees this fixed spread (points) instead of the feed's.</summary>
    public int? FixedSpread { get; init; }
    public int SpreadBalance { get; init; }
    /// <summary>
    /// Markups in points added to the bid and to the ask, after the security's spread difference: a positive
    /// bid markup raises the bid (narrows the spread), a negative one lowers it (widens); a positive ask
    /// markup raises the ask (widens). Same meaning as the Manager API's markup_bid / markup_ask.
    /// </summary>
    public int BidMarkup { get; init; }
    public int AskMarkup { get; init; }
}
