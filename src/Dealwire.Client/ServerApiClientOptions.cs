using System.Net.Security;

namespace Dealwire.Client;

/// <summary>What <see cref="ServerApiClient"/> does when its pending-request queue is full.</summary>
public enum PendingQueueFullMode
{
    /// <summary>The caller waits (asynchronously) for room, bounded by the request timeout and its cancellation token.</summary>
    Wait,

    /// <summary>The call fails at once with <see cref="PendingQueueFullException"/>.</summary>
    Fail,
}

/// <summary>
/// Reconnection after a dropped connection: exponential backoff with full jitter. Attempt <c>n</c> (1-based)
/// waits a uniformly random time between <see cref="MinDelay"/> and
/// <c>min(MaxDelay, MinDelay × Multiplier^n)</c>, so many clients dropped at once spread their reconnects.
/// </summary>
public sealed class ReconnectPolicy
{
    /// <summary>Whether to reconnect at all. Default <c>true</c>. When false, the first drop closes the client.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Shortest wait before a reconnect attempt. Default 100 ms.</summary>
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between attempts. Default 30 s (the cap of the official JS client).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth factor of the delay ceiling per failed attempt. Default 2.</summary>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Consecutive failed attempts after which the client gives up and closes; <c>null</c> (default) = never give up.</summary>
    public int? MaxAttempts { get; set; }

    internal void Validate()
    {
        if (MinDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MinDelay), "must not be negative");
        if (MaxDelay < MinDelay) throw new ArgumentOutOfRangeException(nameof(MaxDelay), "must be at least MinDelay");
        if (Multiplier < 1.0) throw new ArgumentOutOfRangeException(nameof(Multiplier), "must be at least 1");
        if (MaxAttempts is < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), "must be at least 1 (or null for unlimited)");
    }
}

/// <summary>Settings of a <see cref="ServerApiClient"/>. Every property has a documented default.</summary>
public sealed class ServerApiClientOptions
{
    /// <summary>Server address as <c>host:port</c> (<c>[::1]:8080</c> for IPv6). Default <c>127.0.0.1:8080</c>; a missing port means 8080.</summary>
    public string Endpoint { get; set; } = "127.0.0.1:8080";

    /// <summary>The JWT sent as <c>__token</c> with every message. Ignored when <see cref="TokenProvider"/> is set.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Supplies the token for token rotation. Called before every batch of writes, so it must be cheap: cache
    /// the token and refresh it ahead of its expiry. Default <c>null</c> (use <see cref="Token"/>).
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>Wrap the connection in TLS. Default <c>false</c> (plain TCP, like <c>nc host 8080</c>).</summary>
    public bool UseTls { get; set; }

    /// <summary>Host name the server certificate must match; default <c>null</c> = the host part of <see cref="Endpoint"/>.</summary>
    public string? TlsTargetHost { get; set; }

    /// <summary>Custom server-certificate check (e.g. pinning or a private CA); default <c>null</c> = the system's validation.</summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidation { get; set; }

    /// <summary>
    /// Longest time a call may take, from the call until its response, including time spent queued while
    /// disconnected. Default 30 s (as the official clients).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time one TCP (and TLS) connection attempt may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnection policy. Default: unlimited attempts, 100 ms to 30 s with full jitter.</summary>
    public ReconnectPolicy Reconnect { get; set; } = new();

    /// <summary>Requests that may wait to be written (e.g. while reconnecting). Default 1024.</summary>
    public int PendingQueueCapacity { get; set; } = 1024;

    /// <summary>What a call does when the pending queue is full. Default <see cref="PendingQueueFullMode.Wait"/>.</summary>
    public PendingQueueFullMode PendingQueueFullMode { get; set; } = PendingQueueFullMode.Wait;

    /// <summary>Symbols subscribed on every (re)connect before queued requests are sent. Default none.</summary>
    public IList<string> AutoSubscribe { get; set; } = [];

    /// <summary>A name for this connection, used in exception messages and <see cref="ServerApiClient.ToString"/>. Not sent on the wire. Default <c>dealwire-dotnet</c>.</summary>
    public string ConnectionName { get; set; } = "dealwire-dotnet";

    /// <summary>Default capacity of each <c>ReadAllAsync</c> stream subscriber's buffer. Default 4096.</summary>
    public int StreamCapacity { get; set; } = 4096;

    /// <summary>How many notification tokens are remembered for de-duplication. Default 10 000 (as the official JS client).</summary>
    public int NotificationDeduplicationCapacity { get; set; } = 10_000;

    /// <summary>Longest accepted incoming line; a longer one closes the connection as a protocol violation. Default 256 MiB.</summary>
    public long MaxMessageBytes { get; set; } = 256L * 1024 * 1024;

    internal void Validate()
    {
        _ = EndpointAddress.Parse(Endpoint);
        if (TokenProvider is null && string.IsNullOrEmpty(Token)) throw new ArgumentException("Token or TokenProvider is required.", nameof(Token));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), "must be positive");
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), "must be positive");
        if (PendingQueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(PendingQueueCapacity), "must be at least 1");
        if (StreamCapacity < 1) throw new ArgumentOutOfRangeException(nameof(StreamCapacity), "must be at least 1");
        if (NotificationDeduplicationCapacity < 0) throw new ArgumentOutOfRangeException(nameof(NotificationDeduplicationCapacity), "must not be negative");
        if (MaxMessageBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), "must be at least 1 KiB");
        ArgumentNullException.ThrowIfNull(Reconnect);
        ArgumentNullException.ThrowIfNull(AutoSubscribe);
        Reconnect.Validate();
    }
}
