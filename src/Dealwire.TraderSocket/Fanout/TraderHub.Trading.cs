using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Gateway.Sessions;
using Dealwire.ReadModel.Live;
using Dealwire.TraderSocket.Session;
using Dealwire.TraderSocket.Wire;
using Microsoft.Extensions.Logging;

namespace Dealwire.TraderSocket.Fanout;

public sealed partial class TraderHub
{
    /// <summary>
    /// Starts the trading stream of an authenticated session: events of its mask's groups are held from the moment it
    /// is routed; the snapshot is read from one applied state of the live view (sequence S); the snapshot is queued,
    /// then the held events above S, then live ones. Any event at or below S is in the snapshot, any event above S
    /// was applied after the read, hence dispatched after the session was routed: nothing is lost or sent twice.
    /// <paramref name="beforeSnapshot"/> (the <c>auth_result</c>) is queued after S is fixed and before the snapshot,
    /// so whatever a client does once it has read its <c>auth_result</c> is applied after S and reaches it as an event.
    /// </summary>
    public void OpenTrading(TraderSession session, Action beforeSnapshot)
    {
        var mask = session.Mask;
        session.HoldEvents();
        _trading.Route(session, Audience.Staff(session.Number, mask.Text, mask.Matches));
        var (sequence, state) = _view.ReadConsistent(r =>
        {
            var accounts = r.GetAccounts(mask).ToDictionary(a => a.Profile.Login);
            return (
                Accounts: accounts.Values.OrderBy(a => a.Profile.Login).ToList(),
                Positions: r.GetPositions().Where(t => accounts.ContainsKey(t.Login)).OrderBy(t => t.Ticket).ToList(),
                Orders: r.GetPendingOrders().Where(t => accounts.ContainsKey(t.Login)).OrderBy(t => t.Ticket).ToList(),
                Lookup: accounts);
        });
        beforeSnapshot();
        session.GoLive(sequence, SnapshotFrames(sequence, state.Accounts, state.Positions, state.Orders, state.Lookup));
    }

    /// <summary>The snapshot as the stream's own pushes: each account added, each open position and pending order created.</summary>
    private IEnumerable<byte[]> SnapshotFrames(long sequence, List<AccountSnapshot> accounts, List<TradeRecord> positions, List<TradeRecord> orders,
        Dictionary<long, AccountSnapshot> lookup)
    {
        foreach (var a in accounts) yield return AccountAdded(Model(a, sequence));
        foreach (var p in positions) yield return PositionFrame("created", Trade(p, Model(lookup[p.Login], sequence), sequence));
        foreach (var o in orders) yield return OrderFrame("created", Trade(o, Model(lookup[o.Login], sequence), sequence));
    }

    private void DispatchEvents(AppliedEvents batch)
    {
        var events = batch.Events;
        for (var i = 0; i < events.Length; i++)
        {
            try
            {
                DispatchEvent(events[i], i + 1 < events.Length ? events[i + 1] : null, batch.Accounts);
            }
            catch (Exception ex)
            {
                // One event that cannot be rendered is skipped, never its batch.
                _logger.LogError(ex, "JSON socket fan-out skipped {Event} #{Sequence}: it could not be serialized", events[i].GetType().Name, events[i].Sequence);
            }
        }
    }

    private void DispatchEvent(EngineEvent e, EngineEvent? next, Dictionary<long, AccountSnapshot> accounts)
    {
        switch (e)
        {
            case AccountEvent a:
            {
                var model = Model(a.Account, e.Sequence);
                Fan(e.Sequence, a.Account.Profile.Group, () => a.Change == RecordChange.Add
                    ? AccountAdded(model)
                    : AccountUpdate(model, null));
                break;
            }
            case BalanceEvent b when accounts.TryGetValue(b.Entry.Login, out var known):
            {
                // The account as the batch left it, with the money right after this entry (a batch may hold several).
                var model = new AccountModel(known.Profile, b.Margin, _view.GetGroup(b.Margin.Group), e.Sequence);
                Fan(e.Sequence, b.Margin.Group, () => AccountUpdate(model, new OperationModel(b.Entry, e.Sequence)));
                break;
            }
            case TradeEvent t when IsRefusalDeletion(t, next):
                // The engine takes a refused order off the book, then says why: the why is the one final event.
                break;
            case TradeEvent t when accounts.TryGetValue(t.Trade.Login, out var owner):
                OnTrade(t, owner);
                break;
            case ActivationRejectedEvent r when accounts.TryGetValue(r.Order.Login, out var owner):
                FanTrade(r.Sequence, r.Order, owner, m => OrderFrame("failed", m));
                break;
        }
    }

    private static bool IsRefusalDeletion(TradeEvent e, EngineEvent? next) =>
        e.Change == RecordChange.Delete && e.Trade.Command.IsPending()
        && next is ActivationRejectedEvent r && r.Order.Ticket == e.Trade.Ticket;

    private void OnTrade(TradeEvent e, AccountSnapshot owner)
    {
        var t = e.Trade;
        if (t.Command.IsFinance()) return; // money movements arrive as BalanceEvent
        if (t.Command.IsPending())
        {
            var variant = e.Change switch
            {
                RecordChange.Add => "created",
                RecordChange.Update or RecordChange.Restore => "updated",
                // A netting order filled into the existing position leaves the book as closed: executed.
                _ => t.State == TradeState.ClosedNormal ? "executed" : "canceled",
            };
            FanTrade(e.Sequence, t, owner, m => OrderFrame(variant, m));
            return;
        }
        if (e.Change == RecordChange.ActivateTrade) FanTrade(e.Sequence, t, owner, m => OrderFrame("executed", m));
        var change = e.Change switch
        {
            RecordChange.Add or RecordChange.ActivateTrade => t.IsOpenPosition ? "created" : "closed",
            RecordChange.Update or RecordChange.Restore => t.IsOpenPosition ? "updated" : "closed",
            _ => "closed",
        };
        FanTrade(e.Sequence, t, owner, m => PositionFrame(change, m));
    }

    private void FanTrade(long sequence, TradeRecord t, AccountSnapshot owner, Func<TradeModel, byte[]> build) =>
        Fan(sequence, owner.Profile.Group, () => build(Trade(t, Model(owner, sequence), sequence)));

    /// <summary>Queues one event to every trading session whose mask covers <paramref name="group"/>; the frame is built once, only if someone gets it.</summary>
    private void Fan(long sequence, string group, Func<byte[]> build)
    {
        byte[]? frame = null;
        foreach (var session in _trading.StaffOf(group))
        {
            frame ??= build();
            session.Deliver(sequence, frame);
        }
    }

    private AccountModel Model(AccountSnapshot a, long sequence) => new(a.Profile, a.Margin, _view.GetGroup(a.Profile.Group), sequence);

    private TradeModel Trade(TradeRecord t, AccountModel account, long sequence) => new(t, account, _view.GetSymbol(t.Symbol), sequence);

    private static byte[] AccountAdded(AccountModel a) =>
        ServerFrames.Variant("account_event", "account_added", a, TraderModels.WriteAccount);

    private static byte[] AccountUpdate(AccountModel a, OperationModel? operation) =>
        ServerFrames.Variant("account_event", "account_update", (a, operation), TraderModels.WriteAccountUpdate);

    private static byte[] PositionFrame(string variant, TradeModel m) => ServerFrames.Variant("position", variant, m, TraderModels.WritePosition);

    private static byte[] OrderFrame(string variant, TradeModel m) => ServerFrames.Variant("pending_position", variant, m, TraderModels.WriteOrder);
}
