using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Defaults;

/// <summary>
/// The embedded default a fresh server starts with: four symbol groups, six instruments, the
/// <c>demo</c> (hedging) and <c>demo-netting</c> trading groups and one funded account in each, plus the
/// empty <c>TestGroup</c> (hedging) the seed's C#, JS and PHP examples create their user in.
/// A pure function of nothing, so every fresh data directory begins from the same state.
/// </summary>
public static class DemoDefaults
{
    public const string HedgingGroup = "demo";
    public const string NettingGroup = "demo-netting";
    /// <summary>The group the seed's examples name in AddUser, so they run unchanged on a fresh server.</summary>
    public const string SeedExampleGroup = "TestGroup";
    public const long HedgingLogin = 1000;
    public const long NettingLogin = 1001;
    public const decimal AccountDeposit = 10_000m;

    public const int ForexIndex = 0;
    public const int MetalsIndex = 1;
    public const int IndicesIndex = 2;
    public const int CryptoIndex = 3;

    /// <summary>The commands, in the order they must be applied (symbol groups before symbols before groups before accounts).</summary>
    public static IReadOnlyList<EngineCommand> Commands()
    {
        var commands = new List<EngineCommand>();
        foreach (var securities in SymbolGroups()) commands.Add(new UpsertSymbolGroup(securities));
        foreach (var symbol in Symbols()) commands.Add(new UpsertSymbol(symbol));
        commands.Add(new UpsertGroup(Group(HedgingGroup, PositionAccounting.Hedging)));
        commands.Add(new UpsertGroup(Group(NettingGroup, PositionAccounting.Netting)));
        commands.Add(new UpsertGroup(Group(SeedExampleGroup, PositionAccounting.Hedging)));
        commands.Add(Account(HedgingLogin, HedgingGroup, "Demo Hedging"));
        commands.Add(Account(NettingLogin, NettingGroup, "Demo Netting"));
        return commands;
    }

    public static IReadOnlyList<SymbolGroupConfig> SymbolGroups() =>
    [
        new() { Index = ForexIndex, Name = "Forex", Description = "Currency pairs", SortIndex = 0 },
        new() { Index = MetalsIndex, Name = "Metals", Description = "Spot metals", SortIndex = 1 },
        new() { Index = IndicesIndex, Name = "Indices", Description = "Index CFDs", SortIndex = 2 },
        new() { Index = CryptoIndex, Name = "Crypto", Description = "Crypto CFDs", SortIndex = 3 },
    ];

    public static IReadOnlyList<SymbolConfig> Symbols() =>
    [
        Forex("EURUSD", "Euro vs US Dollar", "EUR", "USD", digits: 5, symbolIndex: 1),
        Forex("GBPUSD", "Great Britain Pound vs US Dollar", "GBP", "USD", digits: 5, symbolIndex: 2),
        Forex("USDJPY", "US Dollar vs Japanese Yen", "USD", "JPY", digits: 3, symbolIndex: 3),
        new()
        {
            Name = "XAUUSD", Description = "Gold vs US Dollar", SecurityIndex = MetalsIndex, SymbolIndex = 4, SortIndex = 4,
            // CFD margined with the account's leverage, as brokers deal metals: 0.1 lot at 2 000 = 200 USD at 1:100.
            Digits = 2, ContractSize = 100m, ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.CfdLeverage,
            BaseCurrency = "XAU", ProfitCurrency = "USD", MarginCurrency = "USD",
        },
        new()
        {
            Name = "US500", Description = "US 500 Index CFD", SecurityIndex = IndicesIndex, SymbolIndex = 5, SortIndex = 5,
            Digits = 1, ContractSize = 1m, ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.CfdIndex,
            ProfitCurrency = "USD", MarginCurrency = "USD",
        },
        new()
        {
            Name = "BTCUSD", Description = "Bitcoin vs US Dollar", SecurityIndex = CryptoIndex, SymbolIndex = 6, SortIndex = 6,
            Digits = 2, ContractSize = 1m, ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.CfdLeverage,
            BaseCurrency = "BTC", ProfitCurrency = "USD", MarginCurrency = "USD",
        },
    ];

    /// <summary>A demo trading group: USD, 1:100, margin call 100 %, stop-out 50 %, 0.01–100 lots in 0.01 steps, no commission.</summary>
    public static GroupConfig Group(string name, PositionAccounting accounting) => new()
    {
        Name = name,
        Company = "Dealwire Demo",
        Currency = "USD",
        CurrencyDigits = 2,
        DefaultLeverage = 100,
        MarginCall = 100m,
        StopOut = 50m,
        MarginLevelUnit = MarginLevelUnit.Percent,
        Accounting = accounting,
        Securities = SymbolGroups()
            .Select(s => new GroupSecurity { SecurityIndex = s.Index, LotMin = 1, LotMax = 10_000, LotStep = 1, Commission = 0m })
            .ToArray(),
    };

    private static SymbolConfig Forex(string name, string description, string baseCurrency, string profitCurrency, int digits, int symbolIndex) => new()
    {
        Name = name,
        Description = description,
        SecurityIndex = ForexIndex,
        SymbolIndex = symbolIndex,
        SortIndex = symbolIndex,
        Digits = digits,
        ContractSize = 100_000m,
        ProfitMode = ProfitCalcMode.Forex,
        MarginMode = MarginCalcMode.Forex,
        BaseCurrency = baseCurrency,
        ProfitCurrency = profitCurrency,
        MarginCurrency = baseCurrency,
    };

    private static CreateAccount Account(long login, string group, string name) =>
        new(new AccountProfile { Login = login, Group = group, Name = name, Comment = "embedded demo account" })
        {
            InitialDeposit = AccountDeposit,
        };
}
