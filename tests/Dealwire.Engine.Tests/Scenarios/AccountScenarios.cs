using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Scenarios;

public class AccountScenarios
{
    [Fact]
    public void Logins_are_assigned_or_taken_as_given()
    {
        var h = new EngineHarness();
        var a = h.Account(0m);
        var b = h.Account(0m);
        Assert.Equal(1000, a);
        Assert.Equal(1001, b);
        var explicitLogin = h.Ok(new CreateAccount(new AccountProfile { Login = 5555, Group = "demo" }));
        Assert.Equal(5555, explicitLogin.Profile.Login);
        Assert.Equal(ReturnCode.LoginExists, h.Fails(new CreateAccount(new AccountProfile { Login = 5555, Group = "demo" })));
        Assert.Equal(ReturnCode.GroupNotFound, h.Fails(new CreateAccount(new AccountProfile { Group = "nope" })));
    }

    [Fact]
    public void Delete_is_refused_while_positions_are_open_and_cancels_orders()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var position = h.Buy(login, "EURUSD", 10);
        h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m));
        Assert.Equal(ReturnCode.UserHasTrades, h.Fails(new DeleteAccount(login)));
        h.Ok(new ClosePosition(login, position.Ticket));
        h.Ok(new DeleteAccount(login));
        Assert.Null(h.Engine.GetAccount(login));
        Assert.Empty(h.Engine.GetPendingOrders(login));
        Assert.Contains(h.Events.OfType<AccountEvent>(), e => e.Change == RecordChange.Delete && e.Account.Profile.Login == login);
    }

    [Fact]
    public void Group_change_to_another_currency_is_refused()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig { Name = "eur", Currency = "EUR" }));
        var login = h.Account(100m);
        var profile = h.Engine.GetAccount(login)!.Profile;
        Assert.Equal(ReturnCode.UserDifferentCurrency, h.Fails(new UpdateAccount(profile with { Group = "eur" })));
    }

    [Fact]
    public void Group_in_use_cannot_be_deleted()
    {
        var h = new EngineHarness();
        h.Account(0m);
        Assert.Equal(ReturnCode.GroupUsedByUser, h.Fails(new DeleteGroup("demo")));
    }

    [Fact]
    public void Ticks_for_unknown_symbols_or_out_of_order_are_counted_and_rejected()
    {
        var h = new EngineHarness();
        Assert.Equal(ReturnCode.SymbolNotFound, h.Fails(new ApplyTick("NOPE", 1m, 1m, h.Time)));
        Assert.Equal(ReturnCode.TradePriceChanged, h.Fails(new ApplyTick("EURUSD", 1.1m, 1.1m, 1)));
        Assert.Equal(ReturnCode.TradeBadPrices, h.Fails(new ApplyTick("EURUSD", 1.2m, 1.1m, h.Time + 10)));
        Assert.Equal(1, h.Engine.Counters.TicksRejectedUnknownSymbol);
        Assert.Equal(1, h.Engine.Counters.TicksRejectedOutOfOrder);
        Assert.Equal(1, h.Engine.Counters.TicksRejectedInvalid);
    }

    [Fact]
    public void Group_prices_apply_spread_difference_and_markups()
    {
        var h = new EngineHarness();
        h.Ok(new UpsertGroup(new GroupConfig
        {
            Name = "wide",
            Securities = [new GroupSecurity { SecurityIndex = 0, SpreadDiff = 4 }],
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", BidMarkup = 1, AskMarkup = 2 }],
        }));
        // Raw 1.10000/1.10002; spread diff 4 points split 2/2, then markups added to each side:
        // bid 1.10000 − 2 + 1 points = 1.09999 (a positive bid markup raises the bid), ask 1.10002 + 2 + 2 = 1.10006.
        var q = h.Engine.GetQuote("EURUSD", "wide")!.Value;
        Assert.Equal(1.09999m, q.Bid);
        Assert.Equal(1.10006m, q.Ask);
        var login = h.Account(10_000m, "wide");
        Assert.Equal(1.10006m, h.Buy(login, "EURUSD", 10).OpenPrice);
    }
}
