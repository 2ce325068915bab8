using Dealwire.ManagerApi;
using Dealwire.ServerApi;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>Plugs the protocol gateways (Server API, Manager API) into DI and Kestrel, per the host contract.</summary>
internal static class GatewayRegistration
{
    public static void AddGateways(IServiceCollection services, IConfiguration configuration)
    {
        services.AddServerApi(configuration.GetSection("ServerApi"));
        services.AddManagerApi(configuration.GetSection("ManagerApi"));
    }

    public static void ListenGateways(KestrelServerOptions kestrel)
    {
        kestrel.ListenServerApi();
        kestrel.ListenManagerApi();
    }
}
