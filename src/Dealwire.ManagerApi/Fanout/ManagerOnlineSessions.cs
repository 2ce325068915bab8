using Dealwire.Gateway.Sessions;

namespace Dealwire.ManagerApi.Fanout;

/// <summary>The Manager API's open connections for the console: the manager key's name and mask once signed in.</summary>
internal sealed class ManagerOnlineSessions(ManagerHub hub) : IOnlineSessions
{
    public string Protocol => "Manager API";

    public IReadOnlyList<OnlineSession> List() =>
        hub.AllSessions.Where(s => s.CloseReason is null).Select(s => s.Key is { } key
                ? new OnlineSession(Protocol, s.ConnectionId, s.Actor, key.Name, key.GroupMask, null, true, s.Remote, s.ConnectedAt)
                : new OnlineSession(Protocol, s.ConnectionId, null, null, null, null, false, s.Remote, s.ConnectedAt))
            .ToList();

    /// <summary>Ends access as a withdrawn key does: the client is told <c>unauthorized</c> and the connection closes.</summary>
    public bool Disconnect(string id, string reason)
    {
        var session = hub.AllSessions.FirstOrDefault(s => s.ConnectionId == id && s.CloseReason is null);
        if (session is null) return false;
        session.EndAccess(reason);
        return true;
    }
}
