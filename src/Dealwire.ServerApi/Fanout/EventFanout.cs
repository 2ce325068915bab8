using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Wire;
using Microsoft.Extensions.Logging;

namespace Dealwire.ServerApi.Fanout;

/// <summary>
/// Engine events to sessions: each event is serialized once and queued for every session whose
/// identity may see it (users their own account, managers the groups of their mask, admins all).
/// Observes the live view: a batch's events go out after the view applied it, so a client's read after an event
/// never sees older state. Runs on the view's apply task, so it only serializes and enqueues; it never waits for a client.
/// The audience comes from the gateway's router (indexed by login and by group), never from a scan of every session.
/// Each event is published on its own: one that cannot be serialized is logged and skipped, and the rest of
/// its batch still reaches every subscriber.
/// </summary>
internal sealed partial class EventFanout(SessionRegistry sessions, ILiveView view, ILogger<EventFanout> logger, TradeJsonCache? tradeJson = null) : ILiveObserver
{
    /// <summary>Trade JSON shared with the Sync answers (the dispatcher's instance, as the host wires them).</summary>
    private readonly TradeJsonCache _tradeJson = tradeJson ?? new();

    public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events) => OnEvents(events);

    /// <summary>The login's group now, or before this batch when the batch deleted the account.</summary>
    private string? GroupOf(long login) => view.GroupOf(login) ?? view.BeforeBatch(login)?.Profile.Group;

    // Frames gathered per session while one commit batch is published; the sink is called by one thread at a time.
    private readonly Dictionary<Session, List<byte[]>> _gathered = new();
    private readonly List<List<byte[]>> _spareLists = new();
    private readonly List<(Session Session, long Login)> _ending = new();
    private bool _gathering;

    /// <summary>
    /// Publishes a commit batch's events: each session gets all its frames of the batch in one enqueue
    /// (in order), so a batch of trades costs each connection one writer wake-up and one send.
    /// </summary>
    public void OnEvents(IReadOnlyList<EngineEvent> events)
    {
        lock (_gathered)
        {
            _balanceSent.Clear();
            _gathering = events.Count > 1;
            try
            {
                for (var i = 0; i < events.Count; i++) PublishIsolated(events[i]); // by index: no boxed enumerator per batch
            }
            finally
            {
                _gathering = false;
                foreach (var (session, frames) in _gathered)
                {
                    session.Send(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frames));
                    frames.Clear();
                    _spareLists.Add(frames);
                }
                _gathered.Clear();
                // After the batch's frames, so the deletion event reaches the account's owner before the close.
                FlushEnding();
            }
        }
    }

    private void Send(Session session, byte[] frame)
    {
        if (!_gathering)
        {
            session.Send(frame);
            return;
        }
        if (!_gathered.TryGetValue(session, out var frames))
        {
            frames = _spareLists.Count > 0 ? _spareLists[^1] : new List<byte[]>();
            if (_spareLists.Count > 0) _spareLists.RemoveAt(_spareLists.Count - 1);
            _gathered[session] = frames;
        }
        frames.Add(frame);
    }

    private void PublishIsolated(EngineEvent e)
    {
        try
        {
            Publish(e);
        }
        catch (Exception ex)
        {
            // Frames are built before any is queued, so a failed event sends nothing and leaves the batch intact.
            logger.LogError(ex, "Server API fan-out skipped {Event} #{Sequence}: it could not be serialized", e.GetType().Name, e.Sequence);
        }
    }

    public void Publish(EngineEvent e)
    {
        switch (e)
        {
            case TradeEvent t:
            {
                var group = GroupOf(t.Trade.Login);
                ToAccount(t.Trade.Login, group, (t, group, _tradeJson), static s =>
                    PushWire.Event("trade:event", s.t.Change, s, static (w, s) => s._tradeJson.Write(w, s.t.Trade, s.group)));
                break;
            }
            case AccountEvent a:
            {
                var profile = a.Account.Profile;
                // A move between groups must reach managers of the old group too.
                var previous = view.BeforeBatch(profile.Login)?.Profile.Group;
                ToAccount(profile.Login, profile.Group, a, static a => PushWire.Event("user:event", a.Change, a.Account, AccountWire.Write), previous);
                if (a.Change == RecordChange.Delete) EndUserSessions(profile.Login);
                break;
            }
            case BalanceEvent b:
                ToAccount(b.Margin.Login, b.Margin.Group, b.Margin, BalanceFrame);
                _balanceSent.Add(b.Margin.Login);
                break;
            case MarginLevelEvent m:
                // The engine's own margin-call / stop-out notices arrive as NotificationEvents ("n" arrays).
                ToAccount(m.Margin.Login, m.Margin.Group, m.Margin, BalanceFrame);
                _balanceSent.Add(m.Margin.Login);
                break;
            case AccountFiguresEvent f:
            {
                PublishFloating(f);
                break;
            }
            case ActivationRejectedEvent r:
                ToAccount(r.Order.Login, GroupOf(r.Order.Login), r, static r => PushWire.Notification(ActivationNotice(r)));
                break;
            case NotificationEvent n:
                PublishNotification(n.Notification);
                break;
            case SymbolEvent s:
                ToEveryone(PushWire.Event("symbol:event", s.Change, s.Symbol, static (w, x) => SymbolWire.Write(w, x, null)));
                ToEveryone(PushWire.SymbolReindex(view.GetSymbols().ToList()));
                break;
            case SymbolGroupEvent g:
                ToEveryone(PushWire.SecurityReindex(view.GetSymbolGroups().ToList()));
                break;
            case GroupEvent g:
            {
                var symbolGroups = view.GetSymbolGroups().ToDictionary(s => s.Index);
                var frame = PushWire.Event("group:event", g.Change, g.Group, (w, x) => GroupWire.Write(w, x, symbolGroups));
                foreach (var session in sessions.StaffOf(g.Group.Name)) Send(session, frame);
                break;
            }
        }
    }

    /// <summary>
    /// A deleted account's user connections lose their access: their tokens are bound to this account
    /// instance, and a login created again later must not stream to them.
    /// </summary>
    private void EndUserSessions(long login)
    {
        foreach (var session in sessions.TradersOf(login)) _ending.Add((session, login));
        if (!_gathering) FlushEnding();
    }

    private void FlushEnding()
    {
        foreach (var (session, login) in _ending)
        {
            session.EndAccess(401, ErrorNames.AccountDeleted, $"account {login} was deleted: the connection is closed");
        }
        _ending.Clear();
    }

    private void PublishNotification(Notification n)
    {
        var frame = PushWire.Notification(n);
        if (n.UserId == 0)
        {
            ToEveryone(frame);
            return;
        }
        if (n.Access == Notification.AllManagers)
        {
            // NOTIFY_LEVEL_ALL_MANGERS: a desk-wide note to every staff session, whatever user_id names; never to traders.
            foreach (var session in sessions.Staff) Send(session, frame);
            return;
        }
        // user_id names an account login or, when no account has it, a manager id. An account's note reaches its own
        // sessions and the staff whose mask covers its group — never a manager whose id merely equals the login.
        var group = GroupOf(n.UserId);
        if (group is not null)
        {
            ToAccount(n.UserId, group, frame, static f => f);
            return;
        }
        foreach (var session in sessions.Staff)
        {
            if (session.Scope is { } scope && scope.Identity.Id == n.UserId) Send(session, frame);
        }
    }

    /// <summary>Frames built for an account's audience so far (by <see cref="ToAccount"/>): tests check that an event nobody may see builds none.</summary>
    internal long AccountFramesBuilt { get; private set; }

    /// <summary>
    /// Queues an account's frame for its audience: its own traders and the staff whose mask covers its group (and, after
    /// a move, the old group's staff). The frame is built for the first recipient, so an account nobody watches over
    /// the Server API — most of them, when traders use another protocol — costs no serialization.
    /// </summary>
    private void ToAccount<TState>(long login, string? group, TState state, Func<TState, byte[]> build, string? previousGroup = null)
    {
        byte[]? frame = null;
        foreach (var session in sessions.TradersOf(login)) Send(session, frame ??= Build(state, build));
        foreach (var session in sessions.StaffOf(group)) Send(session, frame ??= Build(state, build));
        if (previousGroup is null || previousGroup == group) return;
        // A move between groups: the old group's staff hear of it too, once.
        foreach (var session in sessions.StaffOf(previousGroup))
        {
            if (session.Scope is not { } scope || !scope.Audience.Covers(group)) Send(session, frame ??= Build(state, build));
        }
    }

    private byte[] Build<TState>(TState state, Func<TState, byte[]> build)
    {
        AccountFramesBuilt++;
        return build(state);
    }

    /// <summary>An account's figures as a <c>balance:event</c> (balance changes, margin levels, floating profit).</summary>
    private static byte[] BalanceFrame(MarginSnapshot margin) => PushWire.Event("balance:event", RecordChange.Update, margin, AccountWire.WriteMargin);

    private void ToEveryone(byte[] frame)
    {
        foreach (var session in sessions.Routed) Send(session, frame);
    }

    internal static Notification ActivationNotice(ActivationRejectedEvent r) => new()
    {
        Token = $"activation-{r.Order.Ticket}-{r.Sequence}",
        UserId = r.Order.Login,
        Message = "Order activation rejected",
        Description = r.Message,
        Level = NotifyLevel.Error,
        Status = 1,
        Code = r.Code.HttpStatus(),
        CreateTime = r.Time,
        DataJson = ActivationData(r.Order.Ticket, r.Code.WireName()),
    };

    /// <summary><c>{"order":ticket,"error":"RET_…"}</c>: the ticket stays a JSON number.</summary>
    private static string ActivationData(long ticket, string error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("order", ticket);
            w.WriteString("error", error);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
