namespace Dealwire.Client;

/// <summary>The client could not reach the server (the first connection of <see cref="ServerApiClient.ConnectAsync"/> failed).</summary>
public class ServerApiConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerApiConnectionException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>
/// The connection dropped while this request was on the wire (its outcome is unknown: the server may or may
/// not have executed it), or the client gave up reconnecting while the request was queued.
/// </summary>
public sealed class ConnectionLostException : ServerApiConnectionException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionLostException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>The pending-request queue was full and <see cref="PendingQueueFullMode.Fail"/> is configured.</summary>
public sealed class PendingQueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PendingQueueFullException(string message) : base(message) { }
}

/// <summary>
/// A stream subscriber that must not lose items (trade, balance, account, symbol and group events, notifications)
/// fell <c>capacity</c> items behind; its enumeration ends with this exception instead of silently skipping events.
/// </summary>
public sealed class StreamOverflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamOverflowException(string message) : base(message) { }
}
