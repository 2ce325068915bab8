using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

public class MarginScenarios
{
    [Fact]
    public void Forex_margin_uses_leverage_and_converts_the_base_currency()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Buy(login, "EURUSD", 100); // 1 lot at ask 1.10002

        // 1 lot = 100 000 EUR / leverage 100 = 1 000 EUR; EUR→USD through EURUSD bid 1.10000 = 1 100.00 USD.
        // Floating: (bid 1.10000 − open 1.10002) × 100 000 = −2.00 USD.
        // Equity 9 998.00; level = 9 998 / 1 100 × 100 = 908.909… → 908.91 %.
        var m = h.Margin(login);
        Assert.Equal(1_100.00m, m.Margin);
        Assert.Equal(-2.00m, m.Profit);
        Assert.Equal(9_998.00m, m.Equity);
        Assert.Equal(8_898.00m, m.FreeMargin);
        Assert.Equal(908.91m, m.MarginLevel);
    }

    [Fact]
    public void Account_leverage_overrides_the_group_default()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m, leverage: 500);
        h.Buy(login, "EURUSD", 100);
        // 100 000 / 500 = 200 EUR × 1.10000 = 220.00 USD.
        Assert.Equal(220.00m, h.Margin(login).Margin);
    }

    [Fact]
    public void Cfd_margin_is_contract_times_price_without_leverage()
    {
        var h = new EngineHarness();
        var login = h.Account(100_000m);
        h.Buy(login, "XAUUSD", 10); // 0.1 lot at ask 2000.50
        // 0.1 lot × 100 oz × 2 000.50 (a buy is margined at ask) = 20 005.00 USD.
        Assert.Equal(20_005.00m, h.Margin(login).Margin);
    }

    [Fact]
    public void Cfd_index_margin_is_price_times_tick_value_over_tick_size()
    {
        var h = new EngineHarness();
        var login = h.Account(100_000m);
        h.Sell(login, "US500", 100); // 1 lot at bid 5000.0
        // tick size 0.1, tick value 0.1 × contract 1 = 0.1 → 1 lot × 5 000.0 × 0.1 / 0.1 = 5 000.00 USD.
        Assert.Equal(5_000.00m, h.Margin(login).Margin);
    }

    [Fact]
    public void Margin_follows_the_conversion_rate_on_every_tick()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Buy(login, "EURUSD", 100);
        h.Tick("EURUSD", 1.20000m, 1.20002m);
        // 1 000 EUR × 1.20000 = 1 200.00; floating (1.20000 − 1.10002) × 100 000 = 9 998.00.
        var m = h.Margin(login);
        Assert.Equal(1_200.00m, m.Margin);
        Assert.Equal(9_998.00m, m.Profit);
    }

    [Fact]
    public void Large_leg_option_margins_only_the_bigger_side()
    {
        var h = new EngineHarness();
        h.Ok(new Commands.UpsertGroup(new GroupConfig { Name = "hedge", Currency = "USD", DefaultLeverage = 100, MarginCall = 100, StopOut = 50, HedgeLargeLeg = true }));
        var login = h.Account(10_000m, "hedge");
        h.Buy(login, "EURUSD", 100);
        h.Sell(login, "EURUSD", 60);
        // Buy leg 1 lot = 1 100.00 at ask-side pricing of the same EUR conversion; sell leg 0.6 lot = 660.00; larger leg only.
        Assert.Equal(1_100.00m, h.Margin(login).Margin);
    }

    [Fact]
    public void Hedged_contract_size_halves_the_margin_of_hedged_volume()
    {
        var h = new EngineHarness();
        h.Ok(new Commands.UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { MarginHedged = 50_000m }));
        var login = h.Account(10_000m);
        h.Buy(login, "EURUSD", 100);
        h.Sell(login, "EURUSD", 100);
        // Fully hedged 1 lot: each leg margined at 50 000 / 100 000 of 1 100.00 → 550.00 × 2 legs = 1 100.00.
        Assert.Equal(1_100.00m, h.Margin(login).Margin);
        h.Sell(login, "EURUSD", 100);
        // Now 1 lot hedged (1 100.00) plus 1 unhedged sell lot (1 100.00).
        Assert.Equal(2_200.00m, h.Margin(login).Margin);
    }
}
