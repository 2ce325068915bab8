using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>One command being served: who asks, its data, and the ways to reach the engine.</summary>
internal sealed class CommandContext(ServerApiContext server, Session session, SessionIdentity identity, string command, DataReader data)
{
    public ServerApiContext Server { get; } = server;
    public Session Session { get; } = session;
    public SessionIdentity Identity { get; } = identity;
    public string Command { get; } = command;
    public DataReader Data { get; } = data;

    public SessionScope Scope { get; } = new(identity);

    public string Actor => Identity.Actor;

    /// <summary>Applies a command; an engine rejection becomes the error frame of its return code.</summary>
    public async Task<T> SubmitAsync<T>(EngineCommand<T> command)
    {
        var result = await Server.Runner.SubmitAsync(command);
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
    public async Task<T> SubmitSyncAsync<T>(EngineCommand<T> command)
    {
        var pending = SubmitAsync(command);
        try
        {
            return await pending.WaitAsync(TimeSpan.FromMilliseconds(Server.Options.SyncTimeoutMs), Server.Time);
        }
        catch (TimeoutException)
        {
            _ = pending.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw new ProtocolException(504, ErrorNames.SyncTimeout, $"the engine did not answer within {Server.Options.SyncTimeoutMs} ms");
        }
    }

    public Task<T> QueryAsync<T>(Func<IEngineReader, T> query) => Server.Runner.QueryAsync(query);

    /// <summary>
    /// Reads the live view, off the engine thread. Read-your-writes: first waits until the view has applied every
    /// command this connection was answered for, so a read right after a write sees it.
    /// </summary>
    public async ValueTask<T> ReadAsync<T>(Func<ILiveView, T> read)
    {
        var view = Server.View;
        var seen = Session.AnsweredSequence;
        if (view.Sequence < seen) await view.WaitForAsync(seen);
        return read(view);
    }

    /// <summary>
    /// The group of an account the caller may act on: 404 when it does not exist, 403 when it lies
    /// outside the caller's scope (another user's account, a group outside the manager's mask).
    /// </summary>
    public async Task<string> RequireAccountAsync(long login)
    {
        var group = await ReadAsync(v => v.GroupOf(login))
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
        // Open positions and orders from the live view; a closed deal or finance record still from the engine (history).
        var trade = await ReadAsync(v => v.GetOpenTrade(ticket))
            ?? await QueryAsync(r => r.GetTrade(ticket))
            ?? throw ProtocolException.Rejected(ReturnCode.ErrNotFound, $"order {ticket} not found");
        await RequireAccountAsync(trade.Login);
        return trade;
    }
}
