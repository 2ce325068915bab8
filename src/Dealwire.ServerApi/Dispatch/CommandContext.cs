using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>One command being served: who asks, its data, and the ways to reach the engine.</summary>
/// <remarks>
/// Pooled by the <see cref="Dispatcher"/>: valid from the handler's start until its reply is written. A handler
/// must not keep it (or its <see cref="Data"/>) in anything that outlives the command.
/// </remarks>
internal sealed class CommandContext
{
    public CommandContext(ServerApiContext server, Session session, SessionIdentity identity, string command, DataReader data) =>
        Reset(server, session, identity, command, data);

    public ServerApiContext Server { get; private set; } = null!;
    public Session Session { get; private set; } = null!;
    public SessionIdentity Identity { get; private set; } = null!;
    public string Command { get; private set; } = "";
    public DataReader Data { get; private set; }

    /// <summary>The trade answers this context hands out (reused: written before the context is reused).</summary>
    public TradeReplies TradeReplies { get; } = new();

    /// <summary>
    /// Runs while the reply is being queued on the session, before it can be written, so whatever it starts (a quote
    /// stream) reaches the client after the reply and is running once the client reads it: a Subscribe's <c>"OK"</c>
    /// always precedes its first quote, and no quote after the <c>"OK"</c> is missed. Keep it short (the session's
    /// queue is locked meanwhile).
    /// </summary>
    public Action? AfterReply { get; set; }

    private SessionScope? _scope;

    internal void Reset(ServerApiContext server, Session session, SessionIdentity identity, string command, DataReader data)
    {
        (Server, Session, Identity, Command, Data) = (server, session, identity, command, data);
        _scope = null;
    }

    /// <summary>Drops every reference of the finished command before the context waits in the pool.</summary>
    internal void Clear()
    {
        (Server, Session, Identity, Command, Data) = (null!, null!, null!, "", default);
        _scope = null;
        AfterReply = null;
        TradeReplies.Clear();
    }

    /// <summary>
    /// The caller's visibility rules: the session's own scope when it was built for the same identity (the usual
    /// case, a connection repeating its token), else one made for this command.
    /// </summary>
    public SessionScope Scope => _scope ??= Session.Scope is { } current && SameVisibility(current.Identity, Identity) ? current : new(Identity);

    /// <summary>Scopes depend only on these fields (rights are checked per command, not by the scope).</summary>
    private static bool SameVisibility(SessionIdentity a, SessionIdentity b) =>
        ReferenceEquals(a, b) || (a.Type == b.Type && a.Id == b.Id && a.GroupMask == b.GroupMask && a.RegistrationSequence == b.RegistrationSequence);

    public string Actor => Identity.Actor;

    /// <summary>Applies a command; an engine rejection becomes the error frame of its return code.</summary>
    public async ValueTask<T> SubmitAsync<T>(EngineCommand<T> command)
    {
        var result = await Server.Engine.SubmitAsync(command);
        Session.Answered(result.Sequence);
        if (result.Code == ReturnCode.ErrDuplicate && command is IIdempotentCommand { IdempotencyKey: not null })
        {
            throw new ProtocolException(400, ErrorNames.IdempotencyKeyReused, result.Message);
        }
        if (!result.IsOk || result.Value is null) throw ProtocolException.Rejected(result.Code == ReturnCode.Ok ? ReturnCode.Error : result.Code, result.Message);
        return result.Value;
    }

    /// <summary>
    /// Applies a command for a <c>…Sync</c> variant: answers 504 SYNC_TIMEOUT when the engine has not
    /// answered (durably) within the sync timeout. The command still completes; its event goes out as usual.
    /// </summary>
    public async ValueTask<T> SubmitSyncAsync<T>(EngineCommand<T> command)
    {
        var submitted = SubmitAsync(command);
        // Answered at once (or rejected at once): no deadline to arm.
        if (submitted.IsCompleted) return await submitted;
        var pending = submitted.AsTask();
        try
        {
            return await pending.WaitAsync(TimeSpan.FromMilliseconds(Server.Options.SyncTimeoutMs), Server.Time);
        }
        catch (TimeoutException)
        {
            _ = pending.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            // The command still completes; this connection's next read must see it as if it had been answered.
            Session.AddLateWrite(pending);
            throw new ProtocolException(504, ErrorNames.SyncTimeout, $"the engine did not answer within {Server.Options.SyncTimeoutMs} ms");
        }
    }

    public Task<T> QueryAsync<T>(Func<IEngineReader, T> query) => Server.Runner.QueryAsync(query);

    /// <summary>
    /// Reads the live view, off the engine thread. Read-your-writes: first waits until the view has applied every
    /// command this connection was answered for, so a read right after a write sees it.
    /// </summary>
    public async ValueTask<T> ReadAsync<T>(Func<ILiveView, T> read) => read(await CurrentViewAsync());

    /// <summary>The live view once it has reached this connection's last answered write (read-your-writes); no closure on the hot path.</summary>
    private async ValueTask<ILiveView> CurrentViewAsync()
    {
        var late = Session.LateWrites;
        if (!late.IsCompleted) await late;
        var view = Server.View;
        var seen = Session.AnsweredSequence;
        if (view.Sequence < seen) await view.WaitForAsync(seen);
        return view;
    }

    /// <summary>
    /// The group of an account the caller may act on: 404 when it does not exist, 403 when it lies
    /// outside the caller's scope (another user's account, a group outside the manager's mask).
    /// </summary>
    public async ValueTask<string> RequireAccountAsync(long login)
    {
        var group = (await CurrentViewAsync()).GroupOf(login)
            ?? throw ProtocolException.Rejected(ReturnCode.UserNotFound, $"account {login} not found");
        if (!Scope.CanSee(login, group)) throw ProtocolException.NotEnoughRights($"account {login} is outside this session's scope");
        return group;
    }

    /// <summary>
    /// Global configuration (rights matrix rule "affected groups"): refuses with 403 unless the caller is an admin or
    /// its mask covers every group the change reaches, as computed by <paramref name="affectedGroups"/> on the engine.
    /// </summary>
    public async Task RequireMaskCoversAsync(string change, Func<IEngineReader, List<string>> affectedGroups)
    {
        if (Identity.IsAdmin) return;
        var groups = await QueryAsync(affectedGroups);
        var outside = groups.Where(g => !Scope.CanSeeGroup(g)).ToList();
        if (outside.Count > 0)
        {
            throw ProtocolException.NotEnoughRights($"{change} affects group(s) {string.Join(", ", outside)} outside this session's group mask");
        }
    }

    /// <summary>The trade with this ticket, checked against the caller's scope.</summary>
    public async Task<TradeRecord> RequireTradeAsync(long ticket)
    {
        // Open positions and orders from the live view; a closed deal, retired order or finance record from the history store.
        var trade = (await CurrentViewAsync()).GetOpenTrade(ticket)
            ?? await Server.History.FindTradeAsync(ticket)
            ?? throw ProtocolException.Rejected(ReturnCode.ErrNotFound, $"order {ticket} not found");
        await RequireAccountAsync(trade.Login);
        return trade;
    }
}
