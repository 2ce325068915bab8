using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>Free API data that manager applications keep on trades.</summary>
public class ManagerFieldScenarios
{
    [Fact]
    public void Api_data_is_kept_on_positions_orders_and_closed_deals_and_survives_a_restore()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var position = h.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10) { ApiData = "crm:17" });
        Assert.Equal("crm:17", position.ApiData);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09000m) { ApiData = "crm:18" });
        Assert.Equal("crm:18", order.ApiData);

        // null keeps the value, a string replaces it.
        Assert.Equal("crm:18", h.Ok(new ModifyPendingOrder(login, order.Ticket) { Volume = 20 }).ApiData);
        Assert.Equal("crm:19", h.Ok(new ModifyPendingOrder(login, order.Ticket) { ApiData = "crm:19" }).ApiData);
        Assert.Equal("crm:20", h.Ok(new EditTrade(position.Ticket) { ApiData = "crm:20" }).ApiData);

        var closed = h.Ok(new ClosePosition(login, position.Ticket));
        Assert.Equal("crm:20", closed.ApiData);
        Assert.Equal("crm:21", h.Ok(new EditTrade(closed.Ticket) { ApiData = "crm:21" }).ApiData);
        Assert.Equal("crm:21", h.Trade(closed.Ticket)!.ApiData);

        var restored = TradingEngine.Restore(h.Engine.CreateSnapshot());
        Assert.Equal(h.Engine.StateHash(), restored.StateHash());
        Assert.Equal("crm:19", restored.GetTrade(order.Ticket)!.ApiData);
        Assert.Null(restored.GetTrade(closed.Ticket)); // closed deals live in the history store, not the engine
    }

    [Fact]
    public void Api_data_is_part_of_the_state_hash()
    {
        var plain = new EngineHarness();
        var tagged = new EngineHarness();
        plain.Ok(new OpenPosition(plain.Account(10_000m), "EURUSD", TradeCommand.Buy, 10));
        tagged.Ok(new OpenPosition(tagged.Account(10_000m), "EURUSD", TradeCommand.Buy, 10) { ApiData = "x" });
        Assert.NotEqual(plain.Engine.StateHash(), tagged.Engine.StateHash());
    }

    [Fact]
    public void An_activated_order_passes_its_api_data_to_the_position()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 10, 1.09900m) { ApiData = "ea:5" });
        h.Tick("EURUSD", 1.09880m, 1.09895m);
        var position = h.Trade(order.Ticket)!;
        Assert.True(position.IsOpenPosition);
        Assert.Equal("ea:5", position.ApiData);
    }
}
