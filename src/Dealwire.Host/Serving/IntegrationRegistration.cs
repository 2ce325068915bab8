using Dealwire.Integration.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>
/// Plugs the gRPC integration services (src/Dealwire.Integration) into the host: their DI, their Kestrel listener
/// on <c>Integration:Port</c> (default 8082, HTTP/2) and their endpoints, all from this one call.
/// </summary>
internal static class IntegrationRegistration
{
    public static void AddIntegration(IServiceCollection services, IConfiguration configuration) =>
        services.AddIntegration(configuration.GetSection(IntegrationOptions.Section));
}
