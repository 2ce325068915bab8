using Dealwire.Gateway.Limits;

namespace Dealwire.Gateway;

/// <summary>
/// The knobs every line-protocol listener has, under the same names in each listener's configuration
/// section (<c>ServerApi:</c>, <c>ManagerApi:</c>, and the protocols to come): address and TLS, line
/// limits, connection cap and deadlines, heartbeat, commands in flight, and the sizes of each
/// connection's outbound queue. A protocol derives from it, sets its own defaults in its constructor and
/// adds only what is its own. Defaults and the old names kept as aliases are listed in docs/gateway.md.
/// </summary>
public abstract class ListenerOptions : IListenerLimits
{
    /// <summary>TCP port; 0 binds a free port (tests).</summary>
    public int Port { get; set; }

    /// <summary>Address to bind; loopback by default so a fresh server is not exposed by accident.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Optional PFX certificate; when set the port speaks TLS.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Longest accepted line in bytes, terminator excluded.</summary>
    public int MaxLineBytes { get; set; } = 1_048_576;

    /// <inheritdoc />
    public int MaxConnections { get; set; } = 20_000;

    /// <inheritdoc />
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public TimeSpan LineCompletionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public long MaxPartialLineBytes { get; set; } = 64 * 1_048_576;

    /// <summary>
    /// A connection with no inbound traffic for this long is closed (any line resets it). Zero = off: the
    /// protocol has no heartbeat and relies on TCP keep-alive.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; }

    /// <summary>Commands executing at once per connection; reading pauses while this many are in flight.</summary>
    public int MaxInFlightPerConnection { get; set; } = 1_024;

    /// <summary>Bytes of replies and events that may wait for a slow reader before its connection is closed (logged).</summary>
    public long MaxPendingReplyBytes { get; set; } = 16 * 1_048_576;

    /// <summary>Distinct symbols whose latest quote may wait for a slow reader; the oldest waiting symbol is dropped beyond it.</summary>
    public int QuoteQueueSymbols { get; set; } = 4_096;

    /// <summary>
    /// Bytes of quotes kept in arrival order for a connection whose writer is busy; past it the reader is
    /// behind and its waiting quotes are conflated per symbol (latest wins). 0 = always conflate.
    /// </summary>
    public long QuoteBacklogBytes { get; set; } = 65_536;

    /// <summary>The heartbeat as the read loop arms it: null when off.</summary>
    public TimeSpan? IdleLimit => HeartbeatTimeout > TimeSpan.Zero ? HeartbeatTimeout : null;
}
