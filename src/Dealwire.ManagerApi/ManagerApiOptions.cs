using Dealwire.Gateway;

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

/// <summary>
/// Options of the Manager API listener, bound from the configuration section "ManagerApi". The knobs every
/// listener shares (line and connection limits, deadlines, heartbeat, commands in flight, queue sizes) are in
/// <see cref="ListenerOptions"/>, named as in "ServerApi"; the names this section used before are kept as
/// aliases (<see cref="HeartbeatTimeoutSeconds"/>, <see cref="TlsCertificatePath"/>, <see cref="TlsCertificatePassword"/>).
/// </summary>
public sealed class ManagerApiOptions : ListenerOptions
{
    /// <summary>
    /// Manager API defaults: port 8081, 1 000 connections, a 9 s heartbeat (clients ping every 3 s; the
    /// spec lets the server drop a connection that stops), prices always conflated (one <c>last_prices</c>
    /// frame per write carries the latest price of each instrument), and 64 requests in flight per connection.
    /// </summary>
    public ManagerApiOptions()
    {
        Port = 8081;
        MaxConnections = 1_000;
        HeartbeatTimeout = TimeSpan.FromSeconds(9);
        QuoteBacklogBytes = 0;
        MaxInFlightPerConnection = 64;
    }

    /// <summary>Alias of <see cref="ListenerOptions.HeartbeatTimeout"/> in whole seconds (the key this section had first); 0 or less means the 9 s default.</summary>
    public int HeartbeatTimeoutSeconds
    {
        get => (int)HeartbeatTimeout.TotalSeconds;
        set => HeartbeatTimeout = TimeSpan.FromSeconds(value > 0 ? value : 9);
    }

    /// <summary>Alias of <see cref="ListenerOptions.CertificatePath"/>.</summary>
    public string? TlsCertificatePath
    {
        get => CertificatePath;
        set => CertificatePath = value;
    }

    /// <summary>Alias of <see cref="ListenerOptions.CertificatePassword"/>.</summary>
    public string? TlsCertificatePassword
    {
        get => CertificatePassword;
        set => CertificatePassword = value;
    }


    /// <summary>Failed auth attempts tolerated on one connection before it is closed.</summary>
    public int MaxAuthFailures { get; set; } = 3;

    /// <summary>Layout rule of this listener (see docs/manager-api.md).</summary>
    public LayoutMode Layout { get; set; } = LayoutMode.Auto;
}
