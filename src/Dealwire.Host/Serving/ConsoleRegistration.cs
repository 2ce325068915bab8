using Dealwire.WebConsole;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>The dealer's web console (<c>GET /console</c>) on the HTTP port, configured by the <c>Console</c> section.</summary>
internal static class ConsoleRegistration
{
    public static void AddConsole(IServiceCollection services, IConfiguration configuration) =>
        services.AddDealwireConsole(configuration.GetSection(ConsoleOptions.Section));

    public static void MapConsole(IEndpointRouteBuilder endpoints) => endpoints.MapDealwireConsole();
}
