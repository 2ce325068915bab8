using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

// Partial updates. A gateway that read a record, merged the request into it and wrote the whole record
// back lost one of two concurrent updates (both read the same original). These commands carry only the
// fields the request named (null = keep) and the engine merges them into the record as it is when the
// command is applied, on its single thread: two patches of different fields both survive. They are
// journaled like any command, so a replay merges the same way.

/// <summary>Change some fields of an account's profile.</summary>
public sealed record PatchAccount(long Login, AccountPatch Patch) : EngineCommand<AccountSnapshot>;

/// <summary>Change some fields of an existing symbol.</summary>
public sealed record PatchSymbol(string Name, SymbolPatch Patch) : EngineCommand<SymbolConfig>;

/// <summary>Change some fields of an existing symbol group.</summary>
public sealed record PatchSymbolGroup(int Index, SymbolGroupPatch Patch) : EngineCommand<SymbolGroupConfig>;

/// <summary>Change some fields of a trading group; with <see cref="CreateIfMissing"/>, a missing group is created from defaults.</summary>
public sealed record PatchGroup(string Name, GroupPatch Patch) : EngineCommand<GroupConfig>
{
    public bool CreateIfMissing { get; init; }
}

/// <summary>Profile fields to change; null keeps the current value.</summary>
public sealed record AccountPatch
{
    public string? Group { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public int? Leverage { get; init; }
    public bool? Enabled { get; init; }
    public bool? ReadOnly { get; init; }
    public bool? ChangePasswordAllowed { get; init; }
    public bool? SendReports { get; init; }
    public string? Comment { get; init; }
    public string? Country { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? ZipCode { get; init; }
    public string? Address { get; init; }
    public string? Phone { get; init; }
    public string? ExternalId { get; init; }
    public string? LeadSource { get; init; }
    public string? UserColor { get; init; }
    public long? Magic { get; init; }
    public long? CustomerId { get; init; }
    public long? AgentAccount { get; init; }
    public bool? OtpEnabled { get; init; }
    public string? Status { get; init; }
    public string? ApiData { get; init; }
    public string? PasswordHash { get; init; }

    public AccountProfile ApplyTo(AccountProfile p) => p with
    {
        Group = Group ?? p.Group,
        Name = Name ?? p.Name,
        Email = Email ?? p.Email,
        Leverage = Leverage ?? p.Leverage,
        Enabled = Enabled ?? p.Enabled,
        ReadOnly = ReadOnly ?? p.ReadOnly,
        ChangePasswordAllowed = ChangePasswordAllowed ?? p.ChangePasswordAllowed,
        SendReports = SendReports ?? p.SendReports,
        Comment = Comment ?? p.Comment,
        Country = Country ?? p.Country,
        City = City ?? p.City,
        State = State ?? p.State,
        ZipCode = ZipCode ?? p.ZipCode,
        Address = Address ?? p.Address,
        Phone = Phone ?? p.Phone,
        ExternalId = ExternalId ?? p.ExternalId,
        LeadSource = LeadSource ?? p.LeadSource,
        UserColor = UserColor ?? p.UserColor,
        Magic = Magic ?? p.Magic,
        CustomerId = CustomerId ?? p.CustomerId,
        AgentAccount = AgentAccount ?? p.AgentAccount,
        OtpEnabled = OtpEnabled ?? p.OtpEnabled,
        Status = Status ?? p.Status,
        ApiData = ApiData ?? p.ApiData,
        PasswordHash = PasswordHash ?? p.PasswordHash,
    };
}

/// <summary>Symbol fields to change; null keeps the current value.</summary>
public sealed record SymbolPatch
{
    public string? Description { get; init; }
    public string? Source { get; init; }
    public string? BaseCurrency { get; init; }
    public int? SecurityIndex { get; init; }
    public int? SymbolIndex { get; init; }
    public int? SortIndex { get; init; }
    public int? Digits { get; init; }
    public SymbolTradeMode? TradeMode { get; init; }
    public ProfitCalcMode? ProfitMode { get; init; }
    public MarginCalcMode? MarginMode { get; init; }
    public int? Spread { get; init; }
    public int? SpreadBalance { get; init; }
    public int? StopsLevel { get; init; }
    public int? FreezeLevel { get; init; }
    public bool? SwapEnabled { get; init; }
    public SwapType? SwapType { get; init; }
    public decimal? SwapLong { get; init; }
    public decimal? SwapShort { get; init; }
    public DayOfWeek? TripleSwapDay { get; init; }
    public bool? SwapDaily { get; init; }
    public decimal? ContractSize { get; init; }
    public decimal? TickValue { get; init; }
    public decimal? TickSize { get; init; }
    public decimal? MarginInitial { get; init; }
    public decimal? MarginHedged { get; init; }
    public decimal? MarginDivider { get; init; }
    public bool? LongOnly { get; init; }
    public string? ProfitCurrency { get; init; }
    public string? MarginCurrency { get; init; }
    public int? MaxVolume { get; init; }
    public IReadOnlyList<DaySessions>? Sessions { get; init; }

    public SymbolConfig ApplyTo(SymbolConfig s) => s with
    {
        Description = Description ?? s.Description,
        Source = Source ?? s.Source,
        BaseCurrency = BaseCurrency ?? s.BaseCurrency,
        SecurityIndex = SecurityIndex ?? s.SecurityIndex,
        SymbolIndex = SymbolIndex ?? s.SymbolIndex,
        SortIndex = SortIndex ?? s.SortIndex,
        Digits = Digits ?? s.Digits,
        TradeMode = TradeMode ?? s.TradeMode,
        ProfitMode = ProfitMode ?? s.ProfitMode,
        MarginMode = MarginMode ?? s.MarginMode,
        Spread = Spread ?? s.Spread,
        SpreadBalance = SpreadBalance ?? s.SpreadBalance,
        StopsLevel = StopsLevel ?? s.StopsLevel,
        FreezeLevel = FreezeLevel ?? s.FreezeLevel,
        SwapEnabled = SwapEnabled ?? s.SwapEnabled,
        SwapType = SwapType ?? s.SwapType,
        SwapLong = SwapLong ?? s.SwapLong,
        SwapShort = SwapShort ?? s.SwapShort,
        TripleSwapDay = TripleSwapDay ?? s.TripleSwapDay,
        SwapDaily = SwapDaily ?? s.SwapDaily,
        ContractSize = ContractSize ?? s.ContractSize,
        TickValue = TickValue ?? s.TickValue,
        TickSize = TickSize ?? s.TickSize,
        MarginInitial = MarginInitial ?? s.MarginInitial,
        MarginHedged = MarginHedged ?? s.MarginHedged,
        MarginDivider = MarginDivider ?? s.MarginDivider,
        LongOnly = LongOnly ?? s.LongOnly,
        ProfitCurrency = ProfitCurrency ?? s.ProfitCurrency,
        MarginCurrency = MarginCurrency ?? s.MarginCurrency,
        MaxVolume = MaxVolume ?? s.MaxVolume,
        Sessions = Sessions ?? s.Sessions,
    };
}

/// <summary>Symbol group fields to change; null keeps the current value.</summary>
public sealed record SymbolGroupPatch
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public bool? TradeAllowed { get; init; }
    public bool? Show { get; init; }
    public int? ParentIndex { get; init; }
    public int? SortIndex { get; init; }

    public SymbolGroupConfig ApplyTo(SymbolGroupConfig g) => g with
    {
        Name = Name ?? g.Name,
        Description = Description ?? g.Description,
        TradeAllowed = TradeAllowed ?? g.TradeAllowed,
        Show = Show ?? g.Show,
        ParentIndex = ParentIndex ?? g.ParentIndex,
        SortIndex = SortIndex ?? g.SortIndex,
    };
}

/// <summary>
/// Trading group fields to change; null keeps the current value. A list given (secgroups, secmargins)
/// replaces the group's list, each entry patched onto the group's current entry with the same key.
/// </summary>
public sealed record GroupPatch
{
    public string? Company { get; init; }
    public string? Brand { get; init; }
    public string? Currency { get; init; }
    public int? CurrencyDigits { get; init; }
    public bool? Enabled { get; init; }
    public bool? IsReal { get; init; }
    public int? DefaultLeverage { get; init; }
    public decimal? DefaultDeposit { get; init; }
    public decimal? MarginCall { get; init; }
    public decimal? StopOut { get; init; }
    public MarginLevelUnit? MarginLevelUnit { get; init; }
    public FreeMarginMode? FreeMarginMode { get; init; }
    public PositionAccounting? Accounting { get; init; }
    public bool? HedgeLargeLeg { get; init; }
    public bool? StopOutSkipHedged { get; init; }
    public NegativeBalancePolicy? NegativeBalancePolicy { get; init; }
    public bool? PartialCloseAllowed { get; init; }
    public bool? UseSwap { get; init; }
    public int? MaxPositions { get; init; }
    public bool? SlTpSlippage { get; init; }
    public IReadOnlyList<GroupSecurityPatch>? Securities { get; init; }
    /// <summary>secgroups set to null on the wire: back to "not configured" (every symbol group, default settings).</summary>
    public bool ClearSecurities { get; init; }
    public IReadOnlyList<GroupSymbolOverridePatch>? SymbolOverrides { get; init; }

    public GroupConfig ApplyTo(GroupConfig g) => g with
    {
        Company = Company ?? g.Company,
        Brand = Brand ?? g.Brand,
        Currency = Currency ?? g.Currency,
        CurrencyDigits = CurrencyDigits ?? g.CurrencyDigits,
        Enabled = Enabled ?? g.Enabled,
        IsReal = IsReal ?? g.IsReal,
        DefaultLeverage = DefaultLeverage ?? g.DefaultLeverage,
        DefaultDeposit = DefaultDeposit ?? g.DefaultDeposit,
        MarginCall = MarginCall ?? g.MarginCall,
        StopOut = StopOut ?? g.StopOut,
        MarginLevelUnit = MarginLevelUnit ?? g.MarginLevelUnit,
        FreeMarginMode = FreeMarginMode ?? g.FreeMarginMode,
        Accounting = Accounting ?? g.Accounting,
        HedgeLargeLeg = HedgeLargeLeg ?? g.HedgeLargeLeg,
        StopOutSkipHedged = StopOutSkipHedged ?? g.StopOutSkipHedged,
        NegativeBalancePolicy = NegativeBalancePolicy ?? g.NegativeBalancePolicy,
        PartialCloseAllowed = PartialCloseAllowed ?? g.PartialCloseAllowed,
        UseSwap = UseSwap ?? g.UseSwap,
        MaxPositions = MaxPositions ?? g.MaxPositions,
        SlTpSlippage = SlTpSlippage ?? g.SlTpSlippage,
        Securities = ClearSecurities ? null
            : Securities is null ? g.Securities
            : Securities.Select(p => p.ApplyTo(g.FindSecurity(p.SecurityIndex) ?? new GroupSecurity { SecurityIndex = p.SecurityIndex })).ToList(),
        SymbolOverrides = SymbolOverrides is null ? g.SymbolOverrides
            : SymbolOverrides.Select(p => p.ApplyTo(g.FindOverride(p.Symbol) ?? new GroupSymbolOverride { Symbol = p.Symbol })).ToList(),
    };
}

/// <summary>One secgroups entry to change, keyed by symbol group index.</summary>
public sealed record GroupSecurityPatch
{
    public int SecurityIndex { get; init; }
    public bool? Show { get; init; }
    public bool? TradeAllowed { get; init; }
    public int? LotMin { get; init; }
    public int? LotMax { get; init; }
    public int? LotStep { get; init; }
    public int? SpreadDiff { get; init; }
    public decimal? Commission { get; init; }
    public CommissionType? CommissionType { get; init; }
    public CommissionBase? CommissionBase { get; init; }
    public CommissionCharge? CommissionCharge { get; init; }
    public decimal? AgentCommission { get; init; }
    public CommissionType? AgentCommissionType { get; init; }
    public CommissionBase? AgentCommissionBase { get; init; }
    public int? TradeRights { get; init; }

    public GroupSecurity ApplyTo(GroupSecurity s) => s with
    {
        Show = Show ?? s.Show,
        TradeAllowed = TradeAllowed ?? s.TradeAllowed,
        LotMin = LotMin ?? s.LotMin,
        LotMax = LotMax ?? s.LotMax,
        LotStep = LotStep ?? s.LotStep,
        SpreadDiff = SpreadDiff ?? s.SpreadDiff,
        Commission = Commission ?? s.Commission,
        CommissionType = CommissionType ?? s.CommissionType,
        CommissionBase = CommissionBase ?? s.CommissionBase,
        CommissionCharge = CommissionCharge ?? s.CommissionCharge,
        AgentCommission = AgentCommission ?? s.AgentCommission,
        AgentCommissionType = AgentCommissionType ?? s.AgentCommissionType,
        AgentCommissionBase = AgentCommissionBase ?? s.AgentCommissionBase,
        TradeRights = TradeRights ?? s.TradeRights,
    };
}

/// <summary>One secmargins entry to change, keyed by symbol. <see cref="ClearFixedSpread"/> removes the override's fixed spread.</summary>
public sealed record GroupSymbolOverridePatch
{
    public required string Symbol { get; init; }
    public bool? SwapEnabled { get; init; }
    public decimal? SwapLong { get; init; }
    public decimal? SwapShort { get; init; }
    public decimal? MarginDivider { get; init; }
    public int? FixedSpread { get; init; }
    public bool ClearFixedSpread { get; init; }
    public int? SpreadBalance { get; init; }
    public int? BidMarkup { get; init; }
    public int? AskMarkup { get; init; }

    public GroupSymbolOverride ApplyTo(GroupSymbolOverride o) => o with
    {
        SwapEnabled = SwapEnabled ?? o.SwapEnabled,
        SwapLong = SwapLong ?? o.SwapLong,
        SwapShort = SwapShort ?? o.SwapShort,
        MarginDivider = MarginDivider ?? o.MarginDivider,
        FixedSpread = ClearFixedSpread ? null : FixedSpread ?? o.FixedSpread,
        SpreadBalance = SpreadBalance ?? o.SpreadBalance,
        BidMarkup = BidMarkup ?? o.BidMarkup,
        AskMarkup = AskMarkup ?? o.AskMarkup,
    };
}
