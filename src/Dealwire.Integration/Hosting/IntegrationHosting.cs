using System.Net;
using Dealwire.Integration.Accounts;
using Dealwire.Integration.Auth;
using Dealwire.Integration.Settings;
using Dealwire.Integration.Trading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Integration.Hosting;

/// <summary>
/// Plugs the gRPC integration services into the host: DI, a Kestrel listener of their own
/// (<c>Integration:Port</c>, HTTP/2 only) and the endpoints, mapped on a branch that only requests arriving on that
/// port reach, so the HTTP port's /health and /metrics and the gRPC port never answer each other's paths.
/// </summary>
public static class IntegrationHosting
{
    public static IServiceCollection AddIntegration(this IServiceCollection services, IConfiguration section)
    {
        var options = new IntegrationOptions();
        section.Bind(options);
        if (!options.Enabled) return services;
        if (!IPAddress.TryParse(options.Address, out var address)) throw new InvalidOperationException($"Integration:Address is not an IP address: '{options.Address}'.");
        if (options.Port is < 0 or > 65535) throw new InvalidOperationException($"Integration:Port must be 0-65535: {options.Port}.");

        services.AddSingleton(options);
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ManagerKeyInterceptor>();
            // Models are small; a bound keeps a hostile client from making the server buffer megabytes.
            grpc.MaxReceiveMessageSize = 1024 * 1024;
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck("engine", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        services.AddSingleton<IntegrationGateway>();
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Listen(address, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (!string.IsNullOrEmpty(options.CertificatePath)) listen.UseHttps(options.CertificatePath, options.CertificatePassword);
        }));
        services.AddSingleton<IStartupFilter>(new IntegrationEndpoints(options.Port));
        return services;
    }

    /// <summary>Maps the services on a branch taken only by connections to the integration port.</summary>
    private sealed class IntegrationEndpoints(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.MapWhen(http => http.Connection.LocalPort == port, grpc =>
            {
                grpc.UseRouting();
                grpc.UseEndpoints(endpoints =>
                {
                    endpoints.MapGrpcService<AccountsIntegrationService>();
                    endpoints.MapGrpcService<EngineIntegrationService>();
                    endpoints.MapGrpcService<TradingSettingsIntegrationService>();
                    endpoints.MapGrpcHealthChecksService();
                    endpoints.MapGrpcReflectionService();
                });
            });
            next(app);
        };
    }
}
