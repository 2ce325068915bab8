using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dealwire.Feeds.Feeder;

/// <summary>Plugs the feeder endpoint into Kestrel (the routing and key store are registered by the host's feed wiring).</summary>
public static class FeederHosting
{
    public static void ListenFeeders(this KestrelServerOptions kestrel)
    {
        var options = kestrel.ApplicationServices.GetRequiredService<IOptions<FeederListenerOptions>>().Value;
        if (!options.Enabled) return;
        var address = IPAddress.TryParse(options.Address, out var ip) ? ip : IPAddress.Loopback;
        kestrel.Listen(address, options.Port, listen => listen.UseConnectionHandler<FeederConnectionHandler>());
    }
}
