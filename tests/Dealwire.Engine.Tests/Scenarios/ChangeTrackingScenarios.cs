using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

/// <summary>Readers learn which accounts changed since a change clock value they keep.</summary>
public class ChangeTrackingScenarios
{
    [Fact]
    public void Only_accounts_touched_since_the_clock_are_reported()
    {
        var h = new EngineHarness();
        var trader = h.Account(10_000m);
        var saver = h.Account(10_000m);
        h.Buy(trader, "EURUSD", 10);

        var all = h.Engine.GetChangedAccounts(-1);
        Assert.Equal([trader, saver], all.Logins);

        // A EURUSD tick moves only the account holding EURUSD.
        h.Tick("EURUSD", 1.10010m, 1.10012m);
        var afterTick = h.Engine.GetChangedAccounts(all.Clock);
        Assert.Equal([trader], afterTick.Logins);

        // A deposit changes the depositor only; a tick on an unheld symbol changes nobody.
        h.Ok(new PostLedger(saver, LedgerKind.Deposit, 5m));
        h.Tick("XAUUSD", 2001.00m, 2001.50m);
        var afterDeposit = h.Engine.GetChangedAccounts(afterTick.Clock);
        Assert.Equal([saver], afterDeposit.Logins);
        Assert.Empty(h.Engine.GetChangedAccounts(afterDeposit.Clock).Logins);

        // A dealer edit of a position's swap changes equity without a tick: it is reported too.
        var position = Assert.Single(h.Engine.GetPositions(trader));
        h.Ok(new EditTrade(position.Ticket) { Swap = -1m });
        Assert.Equal([trader], h.Engine.GetChangedAccounts(afterDeposit.Clock).Logins);
    }
}
