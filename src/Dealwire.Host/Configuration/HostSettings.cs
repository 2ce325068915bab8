using System.Net;
using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Configuration;

/// <summary>Settings of the executable itself (configuration section <c>Host</c>).</summary>
public sealed class HostSettings
{
    public const string Section = "Host";

    /// <summary>Where keys, the journal and snapshots live; relative paths start at the working directory.</summary>
    public string DataDir { get; set; } = "dealwire-data";

    /// <summary>Port of the HTTP endpoint (<c>/health</c>, <c>/metrics</c>).</summary>
    public int HttpPort { get; set; } = 8088;

    /// <summary>Address the HTTP endpoint binds; 0.0.0.0 exposes it beyond this machine.</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>Lifetime of the demo admin token printed on the first start of a data directory.</summary>
    public TimeSpan DemoAdminTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The data directory as an absolute path.</summary>
    public string DataDirectory => Path.GetFullPath(DataDir);

    public static HostSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<HostSettings>() ?? new HostSettings();
        settings.Validate();
        return settings;
    }

    public IPAddress ParseHttpAddress() => IPAddress.Parse(HttpAddress);

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir)) throw new InvalidOperationException("Host:DataDir must not be empty.");
        if (HttpPort is < 1 or > 65535) throw new InvalidOperationException($"Host:HttpPort must be 1-65535, not {HttpPort}.");
        if (!IPAddress.TryParse(HttpAddress, out _)) throw new InvalidOperationException($"Host:HttpAddress is not an IP address: '{HttpAddress}'.");
        if (DemoAdminTokenLifetime <= TimeSpan.Zero) throw new InvalidOperationException("Host:DemoAdminTokenLifetime must be positive.");
    }
}
