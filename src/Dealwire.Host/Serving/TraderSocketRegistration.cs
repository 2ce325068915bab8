using Dealwire.TraderSocket;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>Plugs the Yft JSON socket (prices and trading endpoints, docs/trader-socket.md) into DI and Kestrel.</summary>
internal static class TraderSocketRegistration
{
    public static void AddTraderSocket(IServiceCollection services, IConfiguration configuration) =>
        services.AddTraderSocket(configuration.GetSection(TraderSocketOptions.Section), sp => sp.GetRequiredService<DataDirectory>().Path);
}
