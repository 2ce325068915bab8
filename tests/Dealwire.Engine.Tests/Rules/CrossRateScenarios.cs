using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>
/// Issue #15 (cross pairs): an account whose currency no symbol links directly to a symbol's profit or margin currency
/// converts through one intermediate currency, each leg by the documented rule (multiply by a direct pair's bid,
/// divide by an inverse pair's ask). Harness prices: USDJPY 150.000/150.010, EURUSD 1.10000/1.10002.
/// </summary>
public class CrossRateScenarios
{
    private static (EngineHarness H, long Login) EuroAccount()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "eur", Currency = "EUR", DefaultLeverage = 100, MarginCall = 100, StopOut = 50 }));
        return (h, h.Account(10_000m, "eur"));
    }

    [Fact]
    public void An_euro_account_trades_USDJPY_through_EURUSD_and_books_the_exact_cross_rate_profit()
    {
        var (h, login) = EuroAccount();
        var buy = h.Buy(login, "USDJPY", 100); // 1 lot at the ask 150.010
        Assert.Equal(150.010m, buy.OpenPrice);
        // Margin: 100 000 USD / 100 = 1 000 USD, USD → EUR through EURUSD (inverse: ÷ ask 1.10002).
        Assert.Equal(Math.Round(1_000m / 1.10002m, 2, MidpointRounding.AwayFromZero), Math.Round(h.Margin(login).Margin, 2, MidpointRounding.AwayFromZero));

        h.Tick("USDJPY", 151.000m, 151.010m);
        // 99 000 JPY ÷ USDJPY ask 151.010 ÷ EURUSD ask 1.10002 = 595.976184… EUR.
        Assert.Equal(595.98m, Math.Round(h.Margin(login).Profit, 2, MidpointRounding.AwayFromZero));

        // The second leg moves the valuation too: EURUSD is a dependent pair of the position.
        h.Tick("EURUSD", 1.20000m, 1.20002m);
        Assert.Equal(546.31m, Math.Round(h.Margin(login).Profit, 2, MidpointRounding.AwayFromZero));

        h.Ok(new ClosePosition(login, buy.Ticket));
        var closed = h.Trade(buy.Ticket)!;
        Assert.Equal(546.31m, closed.Profit);
        Assert.Equal(10_546.31m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
        h.AssertMoneyInvariants();
    }

    [Fact]
    public void The_intermediate_currency_is_chosen_by_its_code_not_by_the_order_symbols_were_added()
    {
        var graph = new CurrencyGraph(
        [
            EngineHarness.Forex("CHFJPY", "CHF", "JPY", 3), EngineHarness.Forex("EURCHF", "EUR", "CHF", 5),
            EngineHarness.Forex("USDJPY", "USD", "JPY", 3), EngineHarness.Forex("EURUSD", "EUR", "USD", 5),
        ]);
        // JPY → EUR: through CHF (CHFJPY ÷ ask, EURCHF ÷ ask) or USD; "CHF" < "USD".
        Assert.Equal([new ConversionLeg("CHFJPY", true), new ConversionLeg("EURCHF", true)], graph.Find("JPY", "EUR"));
        Assert.Equal([new ConversionLeg("EURUSD", false)], graph.Find("EUR", "USD"));
        Assert.Empty(graph.Find("EUR", "EUR")!);
        Assert.Null(graph.Find("EUR", "SEK"));
    }

    [Fact]
    public void Without_any_chain_of_at_most_two_legs_the_trade_is_off_quotes()
    {
        var (h, login) = EuroAccount();
        h.Ok(new UpsertSymbol(EngineHarness.Forex("SEKNOK", "SEK", "NOK", 5)));
        h.Tick("SEKNOK", 0.95000m, 0.95002m);
        Assert.Equal(ReturnCode.TradeOffQuotes, h.Fails(new OpenPosition(login, "SEKNOK", TradeCommand.Buy, 10)));
    }
}
