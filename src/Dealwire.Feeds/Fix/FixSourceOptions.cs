namespace Dealwire.Feeds.Fix;

/// <summary>A FIX 4.4 market-data counterparty (configuration: a source with <c>Kind = Fix</c>, or <c>Feed:Fix</c>).</summary>
public sealed class FixSourceOptions
{
    /// <summary>Host name or address of the provider's acceptor.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    /// <summary>Our CompID (49 on what we send).</summary>
    public string SenderCompId { get; set; } = "DEALWIRE";

    /// <summary>The provider's CompID (56 on what we send).</summary>
    public string TargetCompId { get; set; } = "";

    /// <summary>Username (553) and Password (554) on the Logon, when the provider asks for them.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>HeartBtInt (108): seconds of silence before a Heartbeat is sent; 1.5× that from the peer brings a TestRequest.</summary>
    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>Send ResetSeqNumFlag=Y on every Logon (both sides start at 1) instead of resuming the stored sequence numbers.</summary>
    public bool ResetOnLogon { get; set; }

    /// <summary>First wait before reconnecting; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with ±20 % jitter.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time from TCP connect to the counterparty's Logon; past it the attempt counts as failed.</summary>
    public TimeSpan LogonTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Provider symbol → Dealwire symbol, e.g. <c>"EUR/USD": "EURUSD"</c>. The MarketDataRequest asks for the
    /// provider names; prices of symbols not listed are ignored.
    /// </summary>
    public Dictionary<string, string> Symbols { get; set; } = new(StringComparer.Ordinal);

    public void Validate(string source)
    {
        if (Port is < 1 or > 65535) throw new InvalidOperationException($"Feed source '{source}': Port must be 1-65535.");
        if (string.IsNullOrWhiteSpace(TargetCompId)) throw new InvalidOperationException($"Feed source '{source}': TargetCompId is required.");
        if (string.IsNullOrWhiteSpace(SenderCompId)) throw new InvalidOperationException($"Feed source '{source}': SenderCompId is required.");
        if (Symbols.Count == 0) throw new InvalidOperationException($"Feed source '{source}': Symbols (provider symbol → Dealwire symbol) is empty.");
        if (HeartbeatSeconds < 1) throw new InvalidOperationException($"Feed source '{source}': HeartbeatSeconds must be at least 1.");
    }
}
