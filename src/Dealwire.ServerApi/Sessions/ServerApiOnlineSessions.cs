using System.Globalization;
using Dealwire.Gateway.Sessions;

namespace Dealwire.ServerApi.Sessions;

/// <summary>The Server API's open connections for the console: who (the token's identity once one was verified), from where, since when.</summary>
internal sealed class ServerApiOnlineSessions(SessionRegistry registry) : IOnlineSessions
{
    public string Protocol => "Server API";

    public IReadOnlyList<OnlineSession> List() =>
        registry.All.Where(s => !s.IsAborted).Select(s => s.Scope?.Identity is { } who
                ? new OnlineSession(Protocol, Id(s), who.Actor, who.Name, who.IsStaff ? who.GroupMask : null, null, who.IsStaff, s.Remote, s.ConnectedAt)
                : new OnlineSession(Protocol, Id(s), null, null, null, null, false, s.Remote, s.ConnectedAt))
            .ToList();

    public bool Disconnect(string id, string reason)
    {
        var session = registry.All.FirstOrDefault(s => Id(s) == id && !s.IsAborted);
        if (session is null) return false;
        session.Abort(reason);
        return true;
    }

    private static string Id(Session s) => s.Id.ToString(CultureInfo.InvariantCulture);
}
