using System.Net;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Fanout;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dealwire.ServerApi;

/// <summary>How the <c>dealwire</c> host plugs the Server API in (see the host contract in the briefs).</summary>
public static class ServerApiExtensions
{
    /// <summary>
    /// Registers the Server API: options from the "ServerApi" section (pass the root configuration or the
    /// section itself), the connection handler, and the engine consumers as <see cref="IEngineEventSink"/>
    /// and <see cref="IQuoteSink"/> for the host to add to the runner before it starts.
    /// </summary>
    public static IServiceCollection AddServerApi(this IServiceCollection services, IConfiguration section)
    {
        var own = section is IConfigurationSection { Key: ServerApiOptions.SectionName } ? section : section.GetSection(ServerApiOptions.SectionName);
        services.Configure<ServerApiOptions>(own);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<Gateway.Sessions.IOnlineSessions>(sp => new ServerApiOnlineSessions(sp.GetRequiredService<SessionRegistry>()));
        services.AddSingleton(sp => new Config.ServerConfigView(sp.GetRequiredService<EngineRunner>()));
        services.AddSingleton<ILiveObserver>(sp => sp.GetRequiredService<Config.ServerConfigView>());
        services.AddSingleton<ServerApiEndpoint>();
        services.AddSingleton(sp => ManagerCommands.AuditOutsideChanges(new ServerApiContext(
            sp.GetRequiredService<EngineRunner>(),
            sp.GetRequiredService<TokenService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ServerApiOptions>>().Value,
            sp.GetRequiredService<SessionRegistry>(),
            sp.GetRequiredService<ILiveView>(),
            sp.GetService<ManagerKeyStore>(),
            sp.GetRequiredService<IHistoryReader>(),
            sp.GetRequiredService<ILoggerFactory>(),
            audit: sp.GetService<IAuditTrail>(),
            auditLog: sp.GetService<IAuditLogReader>(),
            configView: sp.GetRequiredService<Config.ServerConfigView>(),
            installation: sp.GetService<Config.ServerInstallation>(),
            exports: sp.GetService<ReadModel.Exports.ExportStorage>(),
            tradeJson: sp.GetRequiredService<Wire.TradeJsonCache>())));
        services.AddSingleton(sp => new Dispatcher(sp.GetRequiredService<ServerApiContext>(), CommandCatalog.Build()));
        services.AddSingleton<ServerApiConnectionHandler>();
        services.AddSingleton(sp => new QuoteFanout(sp.GetRequiredService<EngineRunner>(), sp.GetRequiredService<SessionRegistry>(), sp.GetRequiredService<ILiveView>()));
        services.AddSingleton<Wire.TradeJsonCache>();
        services.AddSingleton(sp => new EventFanout(sp.GetRequiredService<SessionRegistry>(), sp.GetRequiredService<ILiveView>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventFanout>(), sp.GetRequiredService<Wire.TradeJsonCache>()));
        // Events leave after the live view applied their batch (the host adds every ILiveObserver to the view).
        services.AddSingleton<ILiveObserver>(sp => sp.GetRequiredService<EventFanout>());
        services.AddSingleton<IQuoteSink>(sp => sp.GetRequiredService<QuoteFanout>());

        // A whole maximal line must fit in the socket's receive pipe, or a line of exactly the limit could stall.
        services.AddOptions<SocketTransportOptions>().PostConfigure<IOptions<ServerApiOptions>>((transport, api) =>
        {
            var needed = api.Value.MaxLineBytes + 65_536L;
            if (transport.MaxReadBufferSize is { } current && current < needed) transport.MaxReadBufferSize = needed;
        });
        return services;
    }

    /// <summary>Binds the Server API port (and TLS when a certificate is configured) with its connection handler.</summary>
    public static void ListenServerApi(this KestrelServerOptions kestrel)
    {
        var services = kestrel.ApplicationServices;
        var options = services.GetRequiredService<IOptions<ServerApiOptions>>().Value;
        var endpoint = services.GetRequiredService<ServerApiEndpoint>();
        var address = options.Address is "*" or "" ? IPAddress.Any
            : options.Address == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Address);
        kestrel.Listen(address, options.Port, listen =>
        {
            if (!string.IsNullOrEmpty(options.CertificatePath)) listen.UseHttps(options.CertificatePath, options.CertificatePassword);
            listen.UseConnectionHandler<ServerApiConnectionHandler>();
            endpoint.Listen = listen;
        });
    }
}

/// <summary>Where the Server API listens once Kestrel has bound it (the real port when 0 was configured).</summary>
public sealed class ServerApiEndpoint
{
    internal ListenOptions? Listen { get; set; }

    public IPEndPoint? BoundEndPoint => Listen?.IPEndPoint;
}
