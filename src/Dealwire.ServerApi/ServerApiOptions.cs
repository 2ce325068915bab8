using Dealwire.Gateway;

namespace Dealwire.ServerApi;

/// <summary>
/// Settings of the Server API listener, bound from the configuration section "ServerApi". The knobs
/// every listener shares (line and connection limits, deadlines, heartbeat, queue sizes) are in
/// <see cref="ListenerOptions"/>, named as in "ManagerApi"; see docs/server-api.md and docs/gateway.md.
/// </summary>
public sealed class ServerApiOptions : ListenerOptions
{
    public const string SectionName = "ServerApi";

    /// <summary>
    /// Server API defaults: port 8080, 20 000 connections, and no heartbeat — the protocol documents none
    /// over TCP (clients enable TCP keep-alive), so an idle authenticated connection stays open unless
    /// <see cref="ListenerOptions.HeartbeatTimeout"/> is set.
    /// </summary>
    public ServerApiOptions()
    {
        Port = 8080;
        MaxConnections = 20_000;
    }

    /// <summary>Commands per second per connection (token bucket, burst of one second); excess gets 429 RET_TOO_FREQUENT.</summary>
    public int CommandsPerSecond { get; set; } = 2_000;

    /// <summary>How long a <c>…Sync</c> command waits for the engine before answering 504 SYNC_TIMEOUT.</summary>
    public int SyncTimeoutMs { get; set; } = 5_000;

    /// <summary>Lifetime of tokens handed out by SSOAuthUser / AuthUser.</summary>
    public TimeSpan UserTokenLifetime { get; set; } = TimeSpan.FromDays(1);
}
