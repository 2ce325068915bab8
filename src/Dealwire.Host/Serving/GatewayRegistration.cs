using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>Plugs the protocol gateways (Server API, Manager API) into DI and Kestrel, per the host contract.</summary>
internal static class GatewayRegistration
{
    public static void AddGateways(IServiceCollection services, IConfiguration configuration)
    {
        // Enable when Dealwire.ServerApi lands on main: services.AddServerApi(configuration.GetSection("ServerApi"));
        // Enable when Dealwire.ManagerApi lands on main: services.AddManagerApi(configuration.GetSection("ManagerApi"));
        _ = services;
        _ = configuration;
    }

    public static void ListenGateways(KestrelServerOptions kestrel)
    {
        // Enable when Dealwire.ServerApi lands on main: kestrel.ListenServerApi();
        // Enable when Dealwire.ManagerApi lands on main: kestrel.ListenManagerApi();
        _ = kestrel;
    }
}
