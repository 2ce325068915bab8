using Dealwire.Gateway.Limits;

namespace Dealwire.Feeds.Feeder;

/// <summary>The feeder endpoint (configuration section <c>Feeds:Listener</c>); limits named as on the other listeners.</summary>
public sealed class FeederListenerOptions : IListenerLimits
{
    public const string Section = "Feeds:Listener";

    /// <summary>False: no feeder port is opened.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>TCP port for in-house feeders.</summary>
    public int Port { get; set; } = 8085;

    /// <summary>Address to bind; loopback by default.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Longest accepted line, terminator excluded; a longer line is answered with <c>line_too_long</c> and skipped.</summary>
    public int MaxLineBytes { get; set; } = 4096;

    /// <summary>Priority of a feeder that is not listed in <c>Feed:Sources</c> (0 = primary).</summary>
    public int DefaultPriority { get; set; }

    public int MaxConnections { get; set; } = 64;

    /// <summary>Time from accept to a valid key line.</summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LineCompletionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public long MaxPartialLineBytes { get; set; } = 16 * 1024 * 1024;
}
