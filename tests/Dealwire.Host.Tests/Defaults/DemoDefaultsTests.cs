using Dealwire.Engine.Commands;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;

namespace Dealwire.Host.Tests.Defaults;

/// <summary>The embedded default as the README promises it.</summary>
public class DemoDefaultsTests
{
    [Fact]
    public void Commands_come_in_dependency_order()
    {
        var kinds = DemoDefaults.Commands().Select(c => c.GetType()).ToList();
        var order = new[] { typeof(UpsertSymbolGroup), typeof(UpsertSymbol), typeof(UpsertGroup), typeof(CreateAccount) };
        Assert.Equal(order, kinds.Distinct());
        Assert.Equal(kinds.OrderBy(k => Array.IndexOf(order, k)), kinds);
    }

    [Theory]
    [InlineData("EURUSD", MarginCalcMode.Forex, 5, 100_000, "EUR", "USD", DemoDefaults.ForexIndex)]
    [InlineData("GBPUSD", MarginCalcMode.Forex, 5, 100_000, "GBP", "USD", DemoDefaults.ForexIndex)]
    [InlineData("USDJPY", MarginCalcMode.Forex, 3, 100_000, "USD", "JPY", DemoDefaults.ForexIndex)]
    [InlineData("XAUUSD", MarginCalcMode.CfdLeverage, 2, 100, "XAU", "USD", DemoDefaults.MetalsIndex)]
    [InlineData("US500", MarginCalcMode.CfdIndex, 1, 1, "", "USD", DemoDefaults.IndicesIndex)]
    [InlineData("BTCUSD", MarginCalcMode.CfdLeverage, 2, 1, "BTC", "USD", DemoDefaults.CryptoIndex)]
    public void Symbols_have_the_documented_specification(string name, MarginCalcMode mode, int digits, int contract, string baseCcy, string profitCcy, int security)
    {
        var symbol = Assert.Single(DemoDefaults.Commands().OfType<UpsertSymbol>(), c => c.Symbol.Name == name).Symbol;
        Assert.Equal(mode, symbol.MarginMode);
        Assert.Equal(mode == MarginCalcMode.Forex ? ProfitCalcMode.Forex : ProfitCalcMode.Cfd, symbol.ProfitMode);
        Assert.Equal(digits, symbol.Digits);
        Assert.Equal(contract, symbol.ContractSize);
        Assert.Equal(baseCcy, symbol.BaseCurrency);
        Assert.Equal(profitCcy, symbol.ProfitCurrency);
        Assert.Equal(security, symbol.SecurityIndex);
        Assert.Contains(DemoDefaults.SymbolGroups(), g => g.Index == security);
    }

    [Theory]
    [InlineData("demo", PositionAccounting.Hedging)]
    [InlineData("demo-netting", PositionAccounting.Netting)]
    [InlineData("TestGroup", PositionAccounting.Hedging)]
    public void Groups_are_usd_1_to_100_with_margin_call_100_and_stop_out_50(string name, PositionAccounting accounting)
    {
        var group = Assert.Single(DemoDefaults.Commands().OfType<UpsertGroup>(), c => c.Group.Name == name).Group;
        Assert.Equal(("USD", 100, 100m, 50m, MarginLevelUnit.Percent, accounting),
            (group.Currency, group.DefaultLeverage, group.MarginCall, group.StopOut, group.MarginLevelUnit, group.Accounting));
        // Every symbol group is tradable from 0.01 to 100 lots in 0.01 steps, commission-free.
        Assert.Equal(DemoDefaults.SymbolGroups().Select(s => s.Index), group.Securities!.Select(s => s.SecurityIndex));
        Assert.All(group.Securities!, s => Assert.Equal((1, 10_000, 1, 0m, true), (s.LotMin, s.LotMax, s.LotStep, s.Commission, s.TradeAllowed)));
    }

    [Fact]
    public void Two_demo_accounts_start_with_ten_thousand_dollars()
    {
        var accounts = DemoDefaults.Commands().OfType<CreateAccount>().ToList();
        Assert.Equal([(1000L, "demo"), (1001L, "demo-netting")], accounts.Select(a => (a.Profile.Login, a.Profile.Group)));
        Assert.All(accounts, a => Assert.Equal(10_000m, a.InitialDeposit));
    }
}
