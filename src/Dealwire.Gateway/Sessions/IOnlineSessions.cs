namespace Dealwire.Gateway.Sessions;

/// <summary>
/// The open connections of one protocol, for the console's online-sessions screen: a read-only listing and a close.
/// Each protocol registers one (several are resolved as <c>IEnumerable&lt;IOnlineSessions&gt;</c>).
/// </summary>
public interface IOnlineSessions
{
    /// <summary>The protocol's name as the console shows it ("Server API", "Manager API").</summary>
    string Protocol { get; }

    IReadOnlyList<OnlineSession> List();

    /// <summary>Closes the connection <paramref name="id"/> (from <see cref="List"/>); false when it is no longer open.</summary>
    bool Disconnect(string id, string reason);
}

/// <summary>
/// One open connection: <see cref="Actor"/> and <see cref="GroupMask"/> are null before it signs in (traders have no
/// mask); <see cref="Group"/> is the trader's group when the protocol knows it, so a manager sees only its groups' traders.
/// </summary>
public sealed record OnlineSession(string Protocol, string Id, string? Actor, string? Name, string? GroupMask, string? Group, bool IsStaff, string Remote, DateTimeOffset ConnectedAt);
