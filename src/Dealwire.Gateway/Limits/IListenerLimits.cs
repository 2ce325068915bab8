namespace Dealwire.Gateway.Limits;

/// <summary>
/// The resource limits every protocol listener shares, named the same in each listener's configuration
/// section (<c>ServerApi:</c>, <c>ManagerApi:</c>) so an operator sets them the same way on both ports.
/// </summary>
public interface IListenerLimits
{
    /// <summary>Most simultaneous connections of the listener; one more is answered with an error and closed.</summary>
    int MaxConnections { get; }

    /// <summary>
    /// Time from accept to the first authenticated command (Server API: a command with a valid <c>__token</c>;
    /// Manager API: a successful <c>auth_request</c>). Pings and rejected commands do not extend it.
    /// </summary>
    TimeSpan AuthenticationTimeout { get; }

    /// <summary>Time a connection may take to finish a line it started; a trickle of bytes does not extend it.</summary>
    TimeSpan LineCompletionTimeout { get; }

    /// <summary>Bytes of partially received lines all connections of the listener may hold together.</summary>
    long MaxPartialLineBytes { get; }
}
