using System.Net;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Fanout;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Transport;
using Dealwire.ReadModel.Live;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dealwire.ManagerApi;

/// <summary>How the <c>dealwire</c> host plugs the Manager API in (see the host contract in docs/manager-api.md).</summary>
public static class ManagerApiHosting
{
    /// <summary>
    /// Registers the Manager API: options from <paramref name="section"/> ("ManagerApi"), the fan-out hub
    /// as an <see cref="ILiveObserver"/> of the live view and the engine's <see cref="IQuoteSink"/>, the connection handler
    /// and the background service that runs the hub and the calculation updates. Needs
    /// <see cref="EngineRunner"/>, <c>ManagerKeyStore</c> and <see cref="TimeProvider"/> in DI.
    /// </summary>
    public static IServiceCollection AddManagerApi(this IServiceCollection services, IConfiguration section)
    {
        services.Configure<ManagerApiOptions>(section);
        services.AddSingleton<ManagerHub>();
        services.AddSingleton<Gateway.Sessions.IOnlineSessions>(sp => new Fanout.ManagerOnlineSessions(sp.GetRequiredService<ManagerHub>()));
        // Events come from the live view after their batch is applied (the host adds every ILiveObserver to it).
        services.AddSingleton<ILiveObserver>(sp => sp.GetRequiredService<ManagerHub>());
        services.AddSingleton<IQuoteSink>(sp => sp.GetRequiredService<ManagerHub>());
        services.AddSingleton<ManagerApiContext>();
        services.AddSingleton<ManagerConnectionHandler>();
        services.AddSingleton<CalculationPublisher>();
        services.AddHostedService<ManagerApiService>();
        return services;
    }

    /// <summary>Binds the Manager API port (options <c>Address</c>/<c>Port</c>, optional TLS) to the connection handler.</summary>
    public static void ListenManagerApi(this KestrelServerOptions kestrel)
    {
        var options = kestrel.ApplicationServices.GetRequiredService<IOptions<ManagerApiOptions>>().Value;
        var address = IPAddress.TryParse(options.Address, out var ip) ? ip : IPAddress.Loopback;
        kestrel.Listen(address, options.Port, listen =>
        {
            if (!string.IsNullOrEmpty(options.CertificatePath)) listen.UseHttps(options.CertificatePath, options.CertificatePassword);
            listen.UseConnectionHandler<ManagerConnectionHandler>();
        });
    }
}

/// <summary>Runs the hub's dispatcher, the calculation rounds and the key watch for the lifetime of the host.</summary>
internal sealed class ManagerApiService(ManagerHub hub, CalculationPublisher calculations, ManagerApiContext context) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The calculation publisher follows the hub's figures events from construction on; it has no loop of its own.
        _ = calculations;
        hub.Start();
        await new KeyWatch(context).RunAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await hub.DisposeAsync();
    }
}
