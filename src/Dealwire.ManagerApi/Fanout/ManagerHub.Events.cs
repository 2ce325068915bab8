using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Handlers;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Dealwire.ReadModel.Live;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Fanout;

public sealed partial class ManagerHub
{
    /// <summary>
    /// Engine events to wire events. Seed layout: <c>&lt;payload&gt;.&lt;created|updated|closed|executed|canceled|failed&gt;.data[]</c>;
    /// newer layout: <c>&lt;topic&gt;.update.&lt;variant&gt;</c>.
    /// </summary>
    private void DispatchEvents(AppliedEvents batch)
    {
        var events = batch.Events;
        _batchAccounts = batch.Accounts;
        var settingsChanged = SettingsFrames.Kinds.None;
        var settingsSequence = 0L;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            try
            {
                settingsChanged |= DispatchEvent(e, i + 1 < events.Length ? events[i + 1] : null, ref settingsSequence);
            }
            catch (Exception ex)
            {
                // One event that cannot be rendered (an id no layout can carry, say) is skipped, never its batch.
                _logger.LogError(ex, "Manager API fan-out skipped {Event} #{Sequence}: it could not be serialized", e.GetType().Name, e.Sequence);
            }
        }
        if (settingsChanged != SettingsFrames.Kinds.None && Sessions.Any(s => s.Wants(Topic.TradingSettings)))
        {
            // Settings change rarely; re-reading them whole keeps every derived list (profiles, markups) exact.
            var settings = TradingSettings.Read(_view);
            // Each manager sees the groups of its mask only: frames are built once per layout and mask.
            var frames = new Dictionary<(int Dialect, string Mask), List<byte[]>>();
            foreach (var session in Sessions)
            {
                if (session.Dialect is not { } d || !session.Wants(Topic.TradingSettings)) continue;
                var mask = session.Mask;
                if (!frames.TryGetValue((d.Index, mask.Text), out var list))
                {
                    list = SettingsFrames.All(d, settings.VisibleTo(mask), "update", settingsChanged).ToList();
                    frames[(d.Index, mask.Text)] = list;
                }
                foreach (var frame in list) session.Deliver(Topic.TradingSettings, settingsSequence, frame);
            }
        }
    }

    /// <summary>A refused activation is a pending order's deletion immediately followed by its <see cref="ActivationRejectedEvent"/>.</summary>
    private static bool IsRefusalDeletion(TradeEvent e, EngineEvent? next) =>
        e.Change == RecordChange.Delete && e.Trade.Command.IsPending()
        && next is ActivationRejectedEvent r && r.Order.Ticket == e.Trade.Ticket;

    /// <summary>Fans one event out; returns the kinds of trading settings it changed (sent once per batch).</summary>
    private SettingsFrames.Kinds DispatchEvent(EngineEvent e, EngineEvent? next, ref long settingsSequence)
    {
        switch (e)
        {
            case AccountEvent a:
                OnAccount(a);
                return SettingsFrames.Kinds.None;
            case BalanceEvent b:
                OnBalance(b);
                return SettingsFrames.Kinds.None;
            case TradeEvent t when IsRefusalDeletion(t, next):
                // The engine takes a refused order off the book, then says why: the why is the one final event.
                return SettingsFrames.Kinds.None;
            case TradeEvent t:
                OnTrade(t);
                return SettingsFrames.Kinds.None;
            case AccountFiguresEvent f:
                FiguresApplied?.Invoke(f);
                return SettingsFrames.Kinds.None;
            case ActivationRejectedEvent r:
                OnOrder(r.Sequence, r.Order, "failed", OrderStatus.Rejected);
                return SettingsFrames.Kinds.None;
            case GroupEvent g:
                if (g.Change == RecordChange.Delete) _groups.TryRemove(g.Group.Name, out _);
                else _groups[g.Group.Name] = g.Group;
                settingsSequence = g.Sequence;
                return SettingsFrames.Kinds.Groups | SettingsFrames.Kinds.Profiles | SettingsFrames.Kinds.Markups | SettingsFrames.Kinds.Collaterals;
            case SymbolEvent s:
                if (s.Change == RecordChange.Delete) _symbols.TryRemove(s.Symbol.Name, out _);
                else _symbols[s.Symbol.Name] = s.Symbol;
                settingsSequence = s.Sequence;
                return SettingsFrames.Kinds.Instruments | SettingsFrames.Kinds.Profiles | SettingsFrames.Kinds.Markups | SettingsFrames.Kinds.DayOffs;
            case SymbolGroupEvent sg:
                settingsSequence = sg.Sequence;
                return SettingsFrames.Kinds.Instruments;
            default:
                return SettingsFrames.Kinds.None;
        }
    }

    private void OnAccount(AccountEvent e)
    {
        if (!AnyoneWants(Topic.Accounts)) return;
        var view = AccountView.From(e.Account, Group(e.Account.Profile.Group));
        if (e.Change == RecordChange.Delete) view = view with { Enabled = false };
        var added = e.Change == RecordChange.Add;
        Fan(Topic.Accounts, e.Sequence, view.Group, d => d.IsSeed
            ? Replies.SeedEvent("accounts", added ? "created" : "updated", [view], TradingModels.WriteAccount)
            : added
                ? Replies.NewerUpdate(d, "accounts", "added", view, TradingModels.WriteAccount)
                : Replies.NewerUpdate(d, "accounts", "updated", new BalanceUpdateView(view, null), TradingModels.WriteAccountTuple));
    }

    private void OnBalance(BalanceEvent e)
    {
        if (!AnyoneWants(Topic.Accounts)) return;
        var known = Account(e.Entry.Login);
        var view = known is null
            ? AccountView.From(new AccountProfile { Login = e.Entry.Login, Group = e.Margin.Group }, e.Margin, Group(e.Margin.Group))
            : known.WithMargin(e.Margin, e.Time);
        var update = new BalanceUpdateView(view, e.Entry);
        Fan(Topic.Accounts, e.Sequence, view.Group, d => d.IsSeed
            ? Replies.SeedEvent("account_balance_operation", "created", [update], TradingModels.WriteSeedBalanceUpdate)
            : Replies.NewerUpdate(d, "accounts", "updated", update, TradingModels.WriteAccountTuple));
    }

    private void OnTrade(TradeEvent e)
    {
        var t = e.Trade;
        if (t.Command.IsFinance()) return; // money movements arrive as BalanceEvent
        if (t.Command.IsPending())
        {
            switch (e.Change)
            {
                case RecordChange.Add:
                    OnOrder(e.Sequence, t, "created", OrderStatus.Pending);
                    break;
                case RecordChange.Update or RecordChange.Restore:
                    OnOrder(e.Sequence, t, "updated", OrderStatus.Pending);
                    break;
                default:
                    // A netting order filled into the existing position leaves the book as closed: executed.
                    if (OrderView.ExitOf(t) == OrderStatus.Executed) OnOrder(e.Sequence, t, "executed", OrderStatus.Executed);
                    else OnOrder(e.Sequence, t, "canceled", OrderStatus.Canceled);
                    break;
            }
            return;
        }
        if (e.Change == RecordChange.ActivateTrade) OnOrder(e.Sequence, t, "executed", OrderStatus.Executed);
        var change = e.Change switch
        {
            RecordChange.Add or RecordChange.ActivateTrade => "created",
            RecordChange.Update or RecordChange.Restore => t.IsOpenPosition ? "updated" : "closed",
            _ => "closed",
        };
        OnPosition(e.Sequence, t, change);
    }

    /// <summary>The accounts the batch being dispatched names (see <see cref="AppliedEvents"/>); dispatcher task only.</summary>
    private Dictionary<long, AccountSnapshot> _batchAccounts = new();

    private AccountView? Account(long login) =>
        _batchAccounts.TryGetValue(login, out var a) ? AccountView.From(a, Group(a.Profile.Group)) : null;

    private void OnOrder(long sequence, TradeRecord t, string change, OrderStatus status)
    {
        if (!AnyoneWants(Topic.Orders)) return;
        if (Account(t.Login) is not { } account) return; // unknown account: no mask can be checked, nothing is sent
        var view = new OrderView(t, account.Currency, status);
        Fan(Topic.Orders, sequence, account.Group, d => d.IsSeed
            ? Replies.SeedEvent("orders", change, [view], TradingModels.WriteOrder)
            : Replies.NewerUpdate(d, "orders", change, view, TradingModels.WriteOrder));
    }

    private void OnPosition(long sequence, TradeRecord t, string change)
    {
        if (!AnyoneWants(Topic.Positions)) return;
        if (Account(t.Login) is not { } account) return;
        var view = PositionView(t, account);
        Fan(Topic.Positions, sequence, account.Group, d => d.IsSeed
            ? Replies.SeedEvent("positions", change, [view], TradingModels.WritePosition)
            : Replies.NewerUpdate(d, "positions", change, view, TradingModels.WritePosition));
    }

    private PositionView PositionView(TradeRecord t, AccountView account)
    {
        var symbol = _symbols.TryGetValue(t.Symbol, out var s) ? s : null;
        var quote = LastPrice(t.Symbol)?.Quote ?? default;
        return new PositionView(t, account.Currency, account.Leverage, quote, symbol?.BaseCurrency ?? "", symbol?.ProfitCurrency ?? "");
    }
}
