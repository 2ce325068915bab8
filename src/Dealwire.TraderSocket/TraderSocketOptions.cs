using Dealwire.Gateway;

namespace Dealwire.TraderSocket;

/// <summary>
/// Options of the Yft JSON socket (configuration section "TraderSocket"). It has two ports, one per endpoint of
/// the spec: prices (<see cref="PricesPort"/>) and trading operations (<see cref="TradingPort"/>); the knobs every
/// listener shares (<see cref="ListenerOptions"/>: address, TLS, line and connection limits, deadlines, queue sizes)
/// apply to both under the same names as on the other listeners. <see cref="ListenerOptions.Port"/> is not used.
/// </summary>
public sealed class TraderSocketOptions : ListenerOptions
{
    public const string Section = "TraderSocket";

    /// <summary>
    /// JSON socket defaults: 1 000 connections per endpoint, lines of at most 64 KiB (the only client message is
    /// the short <c>auth_request</c>), prices always conflated for a reader that is behind.
    /// </summary>
    public TraderSocketOptions()
    {
        MaxConnections = 1_000;
        MaxLineBytes = 65_536;
    }

    /// <summary>False: neither port is opened.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Port of the prices endpoint (<c>bid_ask</c> pushes); 0 = a free port.</summary>
    public int PricesPort { get; set; } = 8083;

    /// <summary>Port of the trading-operations endpoint (accounts, positions, pending orders, balance operations); 0 = a free port.</summary>
    public int TradingPort { get; set; } = 8084;

    /// <summary>
    /// The server sends <c>Ping</c> this often once a connection is authenticated. The spec leaves it open; 3 s is
    /// the Manager API's client ping interval.
    /// </summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Pings left without a <c>Pong</c> before the connection is closed (logged): with the defaults a client is cut
    /// off when a fourth ping falls due and none of the last three was answered, 12 s after its last <c>Pong</c>.
    /// </summary>
    public int MaxMissedPongs { get; set; } = 3;
}
