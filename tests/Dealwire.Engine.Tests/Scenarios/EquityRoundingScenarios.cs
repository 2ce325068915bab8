using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>
/// Equity is reported from the same rounded per-position profit the trade records carry, so a reader summing
/// balance, credit and the records' profit and swap gets the reported equity to the cent.
/// </summary>
public class EquityRoundingScenarios
{
    [Fact]
    public void Half_cent_floating_loss_is_the_records_cent_in_equity_free_margin_and_level()
    {
        var h = new EngineHarness();
        var login = h.Account(92m);
        var trade = h.Buy(login, "US500", 1); // 0.01 lot at ask 5000.5, valued at bid 5000.0

        // Exact floating: (5000.0 − 5000.5) × 1 contract × 0.01 lot = −0.005 USD; the record rounds it half
        // away from zero to −0.01. Rounding the exact equity 91.995 would report 92.00 instead of 91.99.
        var record = h.Engine.GetTrade(trade.Ticket)!;
        Assert.Equal(-0.01m, record.Profit);
        var m = h.Margin(login);
        Assert.Equal(-0.01m, m.Profit);
        Assert.Equal(91.99m, m.Equity);
        Assert.Equal(m.Balance + m.Credit + record.Profit + record.Swap, m.Equity);
        // Margin 50.005 exact is reported 50.01; free margin is the reported equity less the reported margin.
        Assert.Equal(50.01m, m.Margin);
        Assert.Equal(41.98m, m.FreeMargin);
        Assert.Equal(Math.Round(91.99m / m.Margin * 100m, 2, MidpointRounding.AwayFromZero), m.MarginLevel);
    }

    [Fact]
    public void Two_half_cent_losses_count_a_cent_each_as_their_records_do()
    {
        var h = new EngineHarness();
        var login = h.Account(200m);
        h.Buy(login, "US500", 1);
        h.Buy(login, "US500", 1);

        // The exposure sums −0.010 exactly; each record shows −0.01, so equity is 92 − 0.02.
        var records = h.Engine.GetPositions(login).ToList();
        Assert.All(records, r => Assert.Equal(-0.01m, r.Profit));
        var m = h.Margin(login);
        Assert.Equal(199.98m, m.Equity);
        Assert.Equal(m.Balance + m.Credit + records.Sum(r => r.Profit + r.Swap), m.Equity);
    }

    [Fact]
    public void The_account_event_of_a_deposit_carries_the_rounded_figures()
    {
        var h = new EngineHarness();
        var login = h.Account(92m);
        h.Buy(login, "US500", 1);
        h.Events.Clear();
        h.Ok(new Commands.PostLedger(login, LedgerKind.Deposit, 1m));

        var balance = Assert.Single(h.Events.OfType<Events.BalanceEvent>());
        Assert.Equal(92.99m, balance.Margin.Equity);
    }

    [Fact]
    public void Reported_profit_is_the_records_sum_through_opens_closes_and_ticks_on_an_account_holding_many_positions()
    {
        // The account's recorded profit is kept per exposure between price changes; every step below compares it
        // with the records summed afresh, value and scale ("-0.10" is not "-0.1" on the wire).
        var h = new EngineHarness();
        var login = h.Account(100_000m);
        var tickets = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            tickets.Add(h.Buy(login, "US500", 1 + i % 3).Ticket);
            tickets.Add(h.Sell(login, "EURUSD", 1 + i % 2).Ticket);
            AssertReportedProfitIsTheRecordsSum(h, login);
        }
        h.Tick("US500", 5001.3m, 5001.8m);
        AssertReportedProfitIsTheRecordsSum(h, login);
        for (var i = 0; i < tickets.Count; i++)
        {
            h.Ok(new Commands.ClosePosition(login, tickets[i]));
            AssertReportedProfitIsTheRecordsSum(h, login);
            // A tick on one of the two symbols between closes: that exposure is summed afresh, the other is kept.
            if (i % 5 == 0) h.Tick("EURUSD", 1.10000m + i * 0.00001m, 1.10002m + i * 0.00001m);
            if (i % 7 == 0) h.Tick("US500", 5000.0m + i * 0.1m, 5000.5m + i * 0.1m);
            AssertReportedProfitIsTheRecordsSum(h, login);
        }
        Assert.Equal(0m, h.Margin(login).Profit);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void Moving_to_a_group_of_the_same_currency_with_other_currency_digits_reports_profit_at_the_new_digits()
    {
        // 0.01 lot US500 bought at 5000.5, valued at 5000.0: −0.005 USD, −0.01 at 2 digits and −0.005 at 3.
        var h = new EngineHarness();
        h.Ok(new Commands.UpsertGroup(new GroupConfig { Name = "mills", Currency = "USD", CurrencyDigits = 3, DefaultLeverage = 100 }));
        var login = h.Account(1000m);
        h.Buy(login, "US500", 1);
        Assert.Equal(-0.01m, h.Margin(login).Profit);

        h.Ok(new Commands.UpdateAccount(h.Engine.GetAccount(login)!.Profile with { Group = "mills" }));
        Assert.Equal(-0.005m, h.Margin(login).Profit);
        AssertReportedProfitIsTheRecordsSum(h, login);
    }

    private static void AssertReportedProfitIsTheRecordsSum(EngineHarness h, long login)
    {
        decimal sum = 0;
        foreach (var r in h.Engine.GetPositions(login)) sum += r.Profit;
        var reported = h.Margin(login).Profit;
        Assert.Equal(sum.ToString(System.Globalization.CultureInfo.InvariantCulture), reported.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
