using Dealwire.Gateway.Limits;

namespace Dealwire.ServerApi;

/// <summary>
/// Settings of the Server API listener, bound from the configuration section "ServerApi".
/// Every limit has a default that suits a single broker server; see docs/server-api.md.
/// </summary>
public sealed class ServerApiOptions : IListenerLimits
{
    public const string SectionName = "ServerApi";

    /// <summary>TCP port (the host's <c>--server-api-port</c>); 0 = any free port (tests).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Address to bind; loopback by default so a fresh server is not exposed by accident.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Longest accepted line in bytes (without CR LF). A longer line gets an error reply and the connection is closed.</summary>
    public int MaxLineBytes { get; set; } = 1_048_576;

    /// <summary>Most simultaneous connections; further connections get 503 RET_ERR_CONNECTION and are closed.</summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>
    /// Time from accept to the first command carrying a valid <c>__token</c>; past it the connection gets
    /// 408 RET_AUTH_TIMEOUT and is closed. Rejected and public commands do not extend it. Zero disables it.
    /// </summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time to finish a line once its first byte arrived; past it 408 RET_LINE_TIMEOUT and close. Zero disables it.</summary>
    public TimeSpan LineCompletionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bytes of partially received lines all connections of the listener may hold together; a connection whose
    /// partial line would go past it gets 503 RET_SERVER_BUSY and is closed.
    /// </summary>
    public long MaxPartialLineBytes { get; set; } = 64 * 1_048_576;

    /// <summary>Commands per second per connection (token bucket, burst of one second); excess gets 429 RET_TOO_FREQUENT.</summary>
    public int CommandsPerSecond { get; set; } = 2_000;

    /// <summary>Commands executing at once per connection; reading pauses while this many are in flight.</summary>
    public int MaxInFlightPerConnection { get; set; } = 1_024;

    /// <summary>Distinct symbols whose latest quote may wait for a slow reader; the oldest waiting symbol is dropped beyond it.</summary>
    public int QuoteQueueSymbols { get; set; } = 4_096;

    /// <summary>
    /// Bytes of quotes kept in arrival order for a connection whose writer is busy; past it the reader is
    /// behind and its waiting quotes are conflated per symbol (latest wins). 0 = always conflate.
    /// </summary>
    public long QuoteBacklogBytes { get; set; } = 65_536;

    /// <summary>Bytes of replies and events that may wait for a slow reader before its connection is closed.</summary>
    public long MaxPendingReplyBytes { get; set; } = 16 * 1_048_576;

    /// <summary>How long a <c>…Sync</c> command waits for the engine before answering 504 SYNC_TIMEOUT.</summary>
    public int SyncTimeoutMs { get; set; } = 5_000;

    /// <summary>Lifetime of tokens handed out by SSOAuthUser / AuthUser.</summary>
    public TimeSpan UserTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Optional PFX certificate; when set the port speaks TLS.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}
