using Dealwire.Engine.Runtime;
using Dealwire.Feeds.Feeder;
using Dealwire.Host.Configuration;
using Dealwire.Host.Diagnostics;
using Dealwire.Host.Http;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel.Backfill;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;
using Dealwire.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>When the server started, for uptime.</summary>
internal sealed record HostStartTime(DateTimeOffset Value);

/// <summary>
/// <c>dealwire serve</c>: the engine on its own thread, the gateways and the HTTP endpoint on Kestrel,
/// the quote feed as a hosted service. Start order: engine, embedded default, listeners, feed; stop
/// order is the reverse, so no client ever talks to a stopped engine.
/// </summary>
internal static class DealwireServer
{
    public static async Task<int> RunAsync(IConfigurationRoot configuration, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var settings = HostSettings.From(configuration);
        var dataDirectory = new DataDirectory(settings.DataDirectory);
        Directory.CreateDirectory(dataDirectory.Path);

        await using var app = Build(configuration, settings, dataDirectory);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dealwire.Host");
        // Recovery happens here, before any listener opens: a damaged data directory stops the start.
        var store = app.Services.GetRequiredService<DurableStore>();
        var runner = app.Services.GetRequiredService<EngineRunner>();
        // Built now so a bad Feed setting stops the server before anything starts.
        app.Services.GetRequiredService<FeedService>();
        foreach (var sink in app.Services.GetServices<IEngineEventSink>()) runner.AddEventSink(sink);
        foreach (var sink in app.Services.GetServices<IQuoteSink>()) runner.AddQuoteSink(sink);
        ReadModelRegistration.Attach(app.Services, runner);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        store.Journal.Faulted += ex =>
        {
            // Memory is now ahead of disk: nothing more may be acknowledged, so the server stops.
            logger.LogCritical(ex, "Journal write failed; stopping the server");
            lifetime.StopApplication();
        };
        runner.Faulted += ex =>
        {
            // The single writer is gone: commands would wait forever. Stop, so a supervisor restarts from the journal.
            logger.LogCritical(ex, "The engine stopped on an error; stopping the server");
            lifetime.StopApplication();
        };
        // Journal retention keeps what the history projector has not stored yet (all of it until the store answers).
        var history = app.Services.GetRequiredService<HistoryProjector>();
        store.Snapshots.RetainAfter = () => history.Running ? history.Reader.AppliedSequence : 0;
        runner.Start();
        store.StartSnapshots(runner);

        try
        {
            await ReadModelRegistration.StartLiveViewAsync(app.Services, runner, cancellationToken);
            try
            {
                // The replica's Raft listener binds here, the protocols' listeners below: either port taken is the same exit.
                await ClusterRegistration.StartAsync(app.Services, runner, stdout, cancellationToken);
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (IsAddressInUse(ex))
            {
                await stderr.WriteLineAsync($"error: cannot listen: {ex.Message}");
                return 3;
            }
            logger.LogInformation("Dealwire is serving: HTTP http://{Address}:{Port} (/health, /metrics), data in {DataDir}",
                settings.HttpAddress, settings.HttpPort, dataDirectory.Path);
            await app.WaitForShutdownAsync(cancellationToken);
        }
        finally
        {
            // Listeners and the feed are down by now; the engine applies what is queued and stops,
            // then the journal drains and the shutdown snapshot is written.
            await runner.StopAsync();
            await ClusterRegistration.StopAsync(app.Services);
            await store.CloseAsync();
            logger.LogInformation("Engine stopped at state {State}", runner.State);
        }
        // A failed journal, or a replica that stopped itself after losing a proposal: non-zero, so a supervisor restarts it.
        return runner.State == EngineState.Faulted || ClusterRegistration.FailStopped(app.Services) ? 1 : 0;
    }

    /// <summary>A listener's port is taken: Kestrel says so with its own exception, the Raft transport with the socket's error.</summary>
    private static bool IsAddressInUse(Exception ex) =>
        ex is AddressInUseException or System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
        || (ex.InnerException is { } inner && IsAddressInUse(inner));

    private static WebApplication Build(IConfigurationRoot configuration, HostSettings settings, DataDirectory dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // One configuration for every command: replace the web defaults with the sources DealwireConfiguration chose.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        TelemetrySetup.AddTelemetry(builder);
        LoggingSetup.AddLogging(builder);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new HostStartTime(TimeProvider.System.GetUtcNow()));
        services.AddSingleton(settings);
        services.AddSingleton(dataDirectory);
        services.AddSingleton(sp => new TokenService(TokenService.LoadOrCreateKey(dataDirectory.Path), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new ManagerKeyStore(dataDirectory.Path));
        services.AddSingleton(sp => EngineBootstrap.OpenStore(configuration, dataDirectory, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => ClusterRegistration.CreateRunner(sp, sp.GetRequiredService<DurableStore>(), configuration));
        ReadModelRegistration.AddReadModel(services, configuration);
        services.AddSingleton<FirstStart>();
        FeedService.Register(services, configuration);
        services.AddSingleton(EngineClockSettings.From(configuration));
        services.AddHostedService<EngineClockService>();
        services.AddSingleton<IStreamBackfill>(sp => new JournalBackfill(dataDirectory.Path, sp.GetRequiredService<ILogger<JournalBackfill>>()));
        HistoryRegistration.AddHistory(services, configuration);
        AuditRegistration.AddAudit(services);
        ServerConfigRegistration.AddServerConfig(services);
        ExportRegistration.AddExports(services, configuration, dataDirectory);
        GatewayRegistration.AddGateways(services, configuration);
        TraderSocketRegistration.AddTraderSocket(services, configuration);
        IntegrationRegistration.AddIntegration(services, configuration);
        ConsoleRegistration.AddConsole(services, configuration);
        ClusterRegistration.AddCluster(services, configuration);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.ParseHttpAddress(), settings.HttpPort);
            GatewayRegistration.ListenGateways(kestrel);
            kestrel.ListenFeeders();
        });

        var app = builder.Build();
        TelemetrySetup.StartGauges(app.Services);
        app.MapHealth();
        app.MapMetrics();
        app.MapStorage();
        ConsoleRegistration.MapConsole(app);
        return app;
    }
}
