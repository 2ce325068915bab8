using System.Net;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.TraderSocket.Fanout;
using Dealwire.TraderSocket.Session;
using Dealwire.TraderSocket.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dealwire.TraderSocket;

/// <summary>How the <c>dealwire</c> host plugs the Yft JSON socket in (docs/trader-socket.md).</summary>
public static class TraderSocketHosting
{
    /// <summary>
    /// Registers the JSON socket: options from <paramref name="section"/> ("TraderSocket"), the integration key store of
    /// <paramref name="dataDirectory"/>, the fan-out hub as an <see cref="ILiveObserver"/> of the live view and the
    /// engine's <see cref="IQuoteSink"/>, both endpoints' handlers, the background service (hub dispatcher, key watch),
    /// and the two Kestrel listeners. Needs <see cref="ILiveView"/> and <see cref="TimeProvider"/> in DI.
    /// </summary>
    public static IServiceCollection AddTraderSocket(this IServiceCollection services, IConfiguration section, Func<IServiceProvider, string> dataDirectory)
    {
        services.Configure<TraderSocketOptions>(section);
        services.AddSingleton(sp => new IntegrationKeyStore(dataDirectory(sp)));
        services.AddSingleton<TraderHub>();
        services.AddSingleton<ILiveObserver>(sp => sp.GetRequiredService<TraderHub>());
        services.AddSingleton<IQuoteSink>(sp => sp.GetRequiredService<TraderHub>());
        services.AddSingleton<TraderSocketContext>();
        services.AddSingleton<PricesConnectionHandler>();
        services.AddSingleton<TradingConnectionHandler>();
        services.AddHostedService<TraderSocketService>();
        // Kestrel's options are configured like any other, so the listeners need no extra line in the host's Kestrel setup.
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, TraderSocketListeners>();
        return services;
    }
}

/// <summary>Binds the two endpoints (options <c>Address</c>, <c>PricesPort</c>, <c>TradingPort</c>, optional TLS).</summary>
internal sealed class TraderSocketListeners(IOptions<TraderSocketOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        var address = IPAddress.TryParse(o.Address, out var ip) ? ip : IPAddress.Loopback;
        kestrel.Listen(address, o.PricesPort, listen =>
        {
            if (!string.IsNullOrEmpty(o.CertificatePath)) listen.UseHttps(o.CertificatePath, o.CertificatePassword);
            listen.UseConnectionHandler<PricesConnectionHandler>();
        });
        kestrel.Listen(address, o.TradingPort, listen =>
        {
            if (!string.IsNullOrEmpty(o.CertificatePath)) listen.UseHttps(o.CertificatePath, o.CertificatePassword);
            listen.UseConnectionHandler<TradingConnectionHandler>();
        });
    }
}

/// <summary>Runs the hub's dispatcher and the key watch for the lifetime of the host.</summary>
internal sealed class TraderSocketService(TraderHub hub, TraderSocketContext context) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        hub.Start();
        await new IntegrationKeyWatch(context).RunAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await hub.DisposeAsync();
    }
}
