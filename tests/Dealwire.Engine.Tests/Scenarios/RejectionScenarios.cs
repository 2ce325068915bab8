using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>Every dealing rejection answers its spec return code and changes nothing.</summary>
public class RejectionScenarios
{
    private static (EngineHarness H, long Login) Setup(decimal deposit = 10_000m)
    {
        var h = new EngineHarness();
        return (h, h.Account(deposit));
    }

    private static void AssertUnchanged(EngineHarness h, Action act)
    {
        var before = h.Engine.StateHash();
        act();
        Assert.Equal(before, h.Engine.StateHash());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public void Bad_volume(int volume)
    {
        var (h, login) = Setup();
        AssertUnchanged(h, () => Assert.Equal(ReturnCode.TradeBadVolume, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, volume))));
    }

    [Fact]
    public void Volume_off_the_lot_step()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "steps", Securities = [new GroupSecurity { SecurityIndex = 0, LotMin = 10, LotStep = 10, LotMax = 1000 }] }));
        var login = h.Account(10_000m, "steps");
        Assert.Equal(ReturnCode.TradeBadVolume, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 15)));
        h.Buy(login, "EURUSD", 20);
    }

    [Fact]
    public void Symbol_group_not_enabled_for_the_group()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "fx-only", Securities = [new GroupSecurity { SecurityIndex = 0 }] }));
        var login = h.Account(10_000m, "fx-only");
        Assert.Equal(ReturnCode.TradeSecurityNotFound, h.Fails(new OpenPosition(login, "XAUUSD", TradeCommand.Buy, 1)));
    }

    [Fact]
    public void Market_closed_outside_the_session()
    {
        var h = new EngineHarness();
        var closedAllWeek = Enumerable.Range(0, 7).Select(_ => DaySessions.Closed).ToList();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { Sessions = closedAllWeek }));
        var login = h.Account(10_000m);
        AssertUnchanged(h, () => Assert.Equal(ReturnCode.TradeMarketClosed, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10))));
    }

    [Fact]
    public void Market_closed_on_a_holiday()
    {
        var h = new EngineHarness();
        var holiday = new DayOff(EngineHarness.Monday10 - 3_600_000, EngineHarness.Monday10 + 3_600_000, "test holiday");
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { Holidays = [holiday] }));
        var login = h.Account(10_000m);
        Assert.Equal(ReturnCode.TradeMarketClosed, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10)));
    }

    [Theory]
    [InlineData(SymbolTradeMode.Disabled)]
    [InlineData(SymbolTradeMode.CloseOnly)]
    public void Trading_disabled_on_the_symbol(SymbolTradeMode mode)
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var open = h.Buy(login, "EURUSD", 10);
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { TradeMode = mode }));
        Assert.Equal(ReturnCode.TradeDisabled, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10)));
        // Closing stays possible: close-only (and disabled) symbols must let clients get out.
        h.Ok(new ClosePosition(login, open.Ticket));
    }

    [Fact]
    public void Not_enough_money()
    {
        var (h, login) = Setup(1_000m);
        // 1 lot needs 1 100.00 of margin; equity is 1 000.
        AssertUnchanged(h, () => Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 100))));
        h.Buy(login, "EURUSD", 80); // 880.00 fits
    }

    [Fact]
    public void No_quotes_yet()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("AUDUSD", "AUD", "USD", 5)));
        var login = h.Account(10_000m);
        Assert.Equal(ReturnCode.TradeOffQuotes, h.Fails(new OpenPosition(login, "AUDUSD", TradeCommand.Buy, 10)));
    }

    [Fact]
    public void Missing_conversion_rate_is_off_quotes()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("SEKNOK", "SEK", "NOK", 5)));
        h.Tick("SEKNOK", 0.95000m, 0.95002m);
        var login = h.Account(10_000m);
        // No chain of at most two pairs links NOK to USD (EURCHF would now convert through EURUSD: CrossRateScenarios).
        Assert.Equal(ReturnCode.TradeOffQuotes, h.Fails(new OpenPosition(login, "SEKNOK", TradeCommand.Buy, 10)));
    }

    [Fact]
    public void Disabled_and_read_only_accounts()
    {
        var (h, login) = Setup();
        var profile = h.Engine.GetAccount(login)!.Profile;
        h.Ok(new UpdateAccount(profile with { ReadOnly = true }));
        Assert.Equal(ReturnCode.TradeReadOnly, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10)));
        h.Ok(new UpdateAccount(profile with { Enabled = false }));
        Assert.Equal(ReturnCode.AccountDisabled, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10)));
    }

    [Fact]
    public void Long_only_symbol_refuses_sells()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { LongOnly = true }));
        var login = h.Account(10_000m);
        Assert.Equal(ReturnCode.TradeLongOnly, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Sell, 10)));
    }

    [Fact]
    public void Unknown_account_symbol_and_command()
    {
        var (h, login) = Setup();
        Assert.Equal(ReturnCode.UserNotFound, h.Fails(new OpenPosition(999_999, "EURUSD", TradeCommand.Buy, 10)));
        Assert.Equal(ReturnCode.SymbolNotFound, h.Fails(new OpenPosition(login, "NOPE", TradeCommand.Buy, 10)));
        Assert.Equal(ReturnCode.TradeIncorrectCmd, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.BalanceIn, 10)));
        Assert.Equal(ReturnCode.TradeIncorrectOrder, h.Fails(new ClosePosition(login, 424242)));
    }

    [Fact]
    public void Stops_on_the_wrong_side_or_too_close()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("EURUSD", "EUR", "USD", 5) with { StopsLevel = 10 }));
        var login = h.Account(10_000m);
        // A buy closes at bid 1.10000: SL must be ≤ 1.09990, TP ≥ 1.10010.
        Assert.Equal(ReturnCode.TradeInvalidSlTp, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10) { StopLoss = 1.10100m }));
        Assert.Equal(ReturnCode.TradeBadStops, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10) { StopLoss = 1.09995m }));
        Assert.Equal(ReturnCode.TradeBadStops, h.Fails(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10) { TakeProfit = 1.10005m }));
        h.Buy(login, "EURUSD", 10, sl: 1.09990m, tp: 1.10010m);
    }

    [Fact]
    public void Partial_close_volume_larger_than_the_position()
    {
        var (h, login) = Setup();
        var open = h.Buy(login, "EURUSD", 10);
        Assert.Equal(ReturnCode.TradeBadVolume, h.Fails(new ClosePosition(login, open.Ticket) { Volume = 11 }));
    }

    [Fact]
    public void Closing_someone_elses_position()
    {
        var (h, login) = Setup();
        var other = h.Account(10_000m);
        var open = h.Buy(login, "EURUSD", 10);
        Assert.Equal(ReturnCode.TradeIncorrectOrder, h.Fails(new ClosePosition(other, open.Ticket)));
    }
}
