using Dealwire.Gateway.Limits;

namespace Dealwire.ManagerApi;

/// <summary>Which wire layout a listener speaks; <see cref="Auto"/> lets each connection's auth_request decide.</summary>
public enum LayoutMode
{
    /// <summary>An <c>auth_request</c> carrying <c>id_representation</c> selects the newer layout, otherwise the seed layout.</summary>
    Auto = 0,
    /// <summary>Every connection speaks the seed layout (<c>success.&lt;payload&gt;.&lt;event&gt;.data</c>, string ids).</summary>
    Seed = 1,
    /// <summary>Every connection speaks the newer layout (<c>&lt;name&gt;_response</c>, id objects).</summary>
    Newer = 2,
}

/// <summary>Options of the Manager API listener, bound from the configuration section "ManagerApi".</summary>
public sealed class ManagerApiOptions : IListenerLimits
{
    /// <summary>TCP port; 0 binds a free port (tests).</summary>
    public int Port { get; set; } = 8081;

    /// <summary>Address to bind; loopback by default.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Longest accepted line, terminator excluded; a longer line is answered with an error and skipped.</summary>
    public int MaxLineBytes { get; set; } = 1024 * 1024;

    /// <summary>A connection with no inbound traffic for this long is closed (clients ping every 3 s).</summary>
    public int HeartbeatTimeoutSeconds { get; set; } = 9;

    /// <summary>
    /// Bytes of replies and trading events a connection may have waiting before it is closed as too slow (logged).
    /// A single reply larger than this is answered with an error instead (docs/manager-api.md, "Limits and deadlines").
    /// </summary>
    public long MaxPendingReplyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most simultaneous connections; one more gets a <c>network_error</c> system error and is closed.</summary>
    public int MaxConnections { get; set; } = 1_000;

    /// <summary>
    /// Time from accept to a successful <c>auth_request</c>; past it the connection is closed. Pings and failed
    /// requests do not extend it. Zero disables it.
    /// </summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time to finish a line once its first byte arrived; past it the connection is closed. Zero disables it.</summary>
    public TimeSpan LineCompletionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes of partially received lines all connections of the listener may hold together; a connection that would go past it is closed.</summary>
    public long MaxPartialLineBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Failed auth attempts tolerated on one connection before it is closed.</summary>
    public int MaxAuthFailures { get; set; } = 3;

    /// <summary>Layout rule of this listener (see docs/manager-api.md).</summary>
    public LayoutMode Layout { get; set; } = LayoutMode.Auto;

    /// <summary>Optional TLS: path to a PFX certificate; empty = plain TCP.</summary>
    public string TlsCertificatePath { get; set; } = "";

    public string TlsCertificatePassword { get; set; } = "";

    internal TimeSpan HeartbeatTimeout => TimeSpan.FromSeconds(HeartbeatTimeoutSeconds > 0 ? HeartbeatTimeoutSeconds : 9);
}
