namespace Dealwire.Client;

/// <summary>Where the client's connection stands.</summary>
public enum ConnectionState
{
    /// <summary>Opening the first connection.</summary>
    Connecting,

    /// <summary>Connected: requests are written as they come.</summary>
    Connected,

    /// <summary>The connection dropped; reconnecting with backoff while new requests wait in the pending queue.</summary>
    Reconnecting,

    /// <summary>Disposed, or reconnection gave up: every call fails.</summary>
    Closed,
}

/// <summary>What a <see cref="ServerApiClient.Error"/> report is about.</summary>
public enum ClientErrorKind
{
    /// <summary>A <see cref="PushStream{T}.Received"/> handler (or another application callback) threw.</summary>
    HandlerFailed,

    /// <summary>A line that is not valid JSON, or whose record could not be decoded.</summary>
    MalformedMessage,

    /// <summary>Valid JSON that is none of the known record kinds (scaletrade-tcp §1.1).</summary>
    UnknownMessage,

    /// <summary>A reply whose extID matches no waiting call (for example one that already timed out).</summary>
    UnmatchedResponse,

    /// <summary>A connection attempt failed; the client keeps trying per its <see cref="ReconnectPolicy"/>.</summary>
    ConnectFailed,

    /// <summary>The server rejected re-subscribing the remembered symbols after a reconnect.</summary>
    SubscriptionRestoreFailed,
}

/// <summary>A non-fatal problem the client handled and reports for logging.</summary>
public sealed class ClientErrorEventArgs : EventArgs
{
    internal ClientErrorEventArgs(ClientErrorKind kind, string message, Exception? exception)
    {
        Kind = kind;
        Message = message;
        Exception = exception;
    }

    /// <summary>What went wrong.</summary>
    public ClientErrorKind Kind { get; }

    /// <summary>Description, including the offending line (shortened) where there is one.</summary>
    public string Message { get; }

    /// <summary>The exception, if any.</summary>
    public Exception? Exception { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>The connection dropped.</summary>
public sealed class DisconnectedEventArgs : EventArgs
{
    internal DisconnectedEventArgs(Exception reason) => Reason = reason;

    /// <summary>Why (server closed the connection, socket error, protocol violation, …).</summary>
    public Exception Reason { get; }
}

/// <summary>The client is connected again and has restored its subscriptions: a good moment to resync state.</summary>
public sealed class ReconnectedEventArgs : EventArgs
{
    internal ReconnectedEventArgs(int attempts, TimeSpan downtime)
    {
        Attempts = attempts;
        Downtime = downtime;
    }

    /// <summary>Connection attempts it took.</summary>
    public int Attempts { get; }

    /// <summary>Time from the drop to the restored connection; pushes sent meanwhile were missed.</summary>
    public TimeSpan Downtime { get; }
}
