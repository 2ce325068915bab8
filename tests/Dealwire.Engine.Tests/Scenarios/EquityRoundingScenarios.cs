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
}
