using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Rules;

/// <summary>
/// What the engine keeps about the orders behind a position (issue #12): a close draws the closing order's
/// own ticket from the ticket sequence, an activated pending order keeps its type, placement time and
/// price, a refused activation is one deletion followed by its reason, and a balance change dates the account.
/// </summary>
public class OrderIdentityScenarios
{
    [Fact]
    public void A_close_draws_the_closing_order_ticket_from_the_ticket_sequence()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var opened = h.Buy(login, "EURUSD", 100);

        var closed = h.Ok(new ClosePosition(login, opened.Ticket));
        Assert.Equal(opened.Ticket, closed.Ticket);              // the close record is the position's
        Assert.Equal(opened.Ticket + 1, closed.CloseOrderTicket); // the closing order is the next ticket
        Assert.Equal(closed.CloseOrderTicket, h.Trade(opened.Ticket)!.CloseOrderTicket);

        // The next deal continues the sequence after the closing order: no number is handed out twice.
        var next = h.Buy(login, "EURUSD", 100);
        Assert.Equal(closed.CloseOrderTicket + 1, next.Ticket);

        // A partial close numbers its closing order with the part record's own ticket.
        var part = h.Ok(new ClosePosition(login, next.Ticket) { Volume = 40 });
        Assert.Equal(next.Ticket + 1, part.Ticket);
        Assert.Equal(part.Ticket, part.CloseOrderTicket);
        Assert.Equal(next.Ticket, part.ParentTicket);
    }

    [Fact]
    public void Stop_loss_and_stop_out_closes_get_their_own_closing_order_too()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var position = h.Buy(login, "EURUSD", 100, sl: 1.09900m);
        h.Tick("EURUSD", 1.09890m, 1.09892m); // the bid crosses the stop loss
        var closed = h.Trade(position.Ticket)!;
        Assert.Equal(Activation.StopLoss, closed.Activation);
        Assert.Equal(position.Ticket + 1, closed.CloseOrderTicket);
    }

    [Fact]
    public void Closing_order_tickets_are_the_same_after_replay_and_after_snapshot_restore()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var first = h.Buy(login, "EURUSD", 100);
        var second = h.Sell(login, "GBPUSD", 50);
        var closedFirst = h.Ok(new ClosePosition(login, first.Ticket));
        var closedSecond = h.Ok(new ClosePosition(login, second.Ticket));

        var replay = new TradingEngine();
        var replayed = new TestHistory();
        foreach (var command in h.Journal)
        {
            Assert.Equal(ReturnCode.Ok, replay.Execute(command).Code);
            replayed.Observe(replay.LastEvents);
        }
        Assert.Equal(closedFirst.CloseOrderTicket, replayed.FindTrade(first.Ticket)!.CloseOrderTicket);
        Assert.Equal(closedSecond.CloseOrderTicket, replayed.FindTrade(second.Ticket)!.CloseOrderTicket);
        Assert.Equal(h.Engine.StateHash(), replay.StateHash());

        // Through the snapshot file's JSON as well: the ticket sequence is primary state, so the next close
        // after a restore draws the same closing-order ticket as it does on the original.
        var snapshot = JsonSerializer.Deserialize<EngineSnapshot>(JsonSerializer.Serialize(h.Engine.CreateSnapshot()))!;
        var restored = new EngineHarness(TradingEngine.Restore(snapshot), setup: false) { Time = h.Time };
        Assert.Equal(snapshot.StateHash, restored.Engine.StateHash());
        var third = h.Buy(login, "EURUSD", 10);
        Assert.Equal(third.Ticket, restored.Buy(login, "EURUSD", 10).Ticket);
        Assert.Equal(h.Ok(new ClosePosition(login, third.Ticket)).CloseOrderTicket, restored.Ok(new ClosePosition(login, third.Ticket)).CloseOrderTicket);
    }

    [Fact]
    public void An_activated_limit_order_keeps_its_type_placement_time_and_price()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Time += 1_000;
        var placedAt = h.Time;
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 100, 1.09900m));
        Assert.Equal(placedAt, order.OpenTime);
        Assert.Null(order.ActivatedFrom);

        h.Time += 60_000;
        h.Tick("EURUSD", 1.09880m, 1.09895m); // ask 1.09895 ≤ 1.09900: fills at 1.09895, one minute later
        var position = h.Trade(order.Ticket)!;
        Assert.True(position.IsOpenPosition);
        Assert.Equal(TradeCommand.Buy, position.Command);
        Assert.Equal(1.09895m, position.OpenPrice);
        Assert.Equal(h.Time, position.OpenTime);
        Assert.Equal(new PendingOrigin(TradeCommand.BuyLimit, placedAt, 1.09900m), position.ActivatedFrom);
        var activation = h.Events.OfType<TradeEvent>().Single(e => e.Change == RecordChange.ActivateTrade);
        Assert.Equal(position.ActivatedFrom, activation.Trade.ActivatedFrom);

        // It stays with the position through a snapshot and into its close record.
        var restored = TradingEngine.Restore(JsonSerializer.Deserialize<EngineSnapshot>(JsonSerializer.Serialize(h.Engine.CreateSnapshot()))!);
        Assert.Equal(position.ActivatedFrom, restored.GetTrade(order.Ticket)!.ActivatedFrom);
        Assert.Equal(h.Engine.StateHash(), restored.StateHash());
        var closed = h.Ok(new ClosePosition(login, order.Ticket));
        Assert.Equal(position.ActivatedFrom, closed.ActivatedFrom);
    }

    [Fact]
    public void A_market_deal_has_no_pending_origin()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        Assert.Null(h.Buy(login, "EURUSD", 100).ActivatedFrom);
    }

    [Fact]
    public void A_refused_activation_is_one_deletion_immediately_followed_by_its_reason()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var order = h.Ok(new PlacePendingOrder(login, "EURUSD", TradeCommand.BuyLimit, 100, 1.09900m)); // 1 lot needs 1 098.90 margin
        h.Events.Clear();
        h.Tick("EURUSD", 1.09890m, 1.09900m);

        var about = h.Events.Where(e => e is TradeEvent { Trade.Ticket: var t } && t == order.Ticket
            || e is ActivationRejectedEvent { Order.Ticket: var r } && r == order.Ticket).ToList();
        Assert.Equal(2, about.Count);
        var deletion = Assert.IsType<TradeEvent>(about[0]);
        Assert.Equal(RecordChange.Delete, deletion.Change);
        Assert.Equal(TradeState.Deleted, deletion.Trade.State);
        Assert.Equal(Activation.Pending, deletion.Trade.Activation);
        Assert.Equal(ReturnCode.TradeNoMoney, Assert.IsType<ActivationRejectedEvent>(about[1]).Code);
        // Adjacent in the event stream: a gateway can tell a refusal from a cancellation by the next event.
        Assert.Equal(h.Events.IndexOf(about[0]) + 1, h.Events.IndexOf(about[1]));
    }

    [Fact]
    public void The_margin_snapshot_carries_the_time_of_the_last_balance_change()
    {
        var h = new EngineHarness();
        var login = h.Account(1_000m);
        var created = h.Time;
        Assert.Equal(created, h.Margin(login).BalanceTime); // the initial deposit

        h.Time += 5_000;
        var entry = h.Ok(new PostLedger(login, LedgerKind.Deposit, 50m));
        Assert.Equal(h.Time, entry.Time);
        Assert.Equal(h.Time, h.Margin(login).BalanceTime);

        h.Time += 5_000;
        h.Tick("EURUSD", 1.10001m, 1.10003m); // a price change is not a balance change
        Assert.Equal(entry.Time, h.Margin(login).BalanceTime);
    }
}
