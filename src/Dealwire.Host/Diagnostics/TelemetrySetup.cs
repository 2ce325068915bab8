using Dealwire.Engine.Runtime.Diagnostics;
using Dealwire.Gateway.Diagnostics;
using Dealwire.ManagerApi.Diagnostics;
using Dealwire.Persistence.Diagnostics;
using Dealwire.ServerApi.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dealwire.Host.Diagnostics;

/// <summary>
/// One OpenTelemetry pipeline for the server: every meter named <c>Dealwire.*</c> (each component has its own,
/// and new ones are picked up without a change here) to Prometheus text on <c>/metrics</c> and, when configured,
/// OTLP; every <c>Dealwire.*</c> activity source to OTLP, sampled.
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>Matches every component's meter and activity source.</summary>
    public const string Wildcard = "Dealwire.*";

    public static void AddTelemetry(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(TelemetrySettings.OtelEnvironment());
        var settings = TelemetrySettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<EngineFigureCache>();
        services.AddSingleton<ServerGauges>();
        LoadInstruments();

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Wildcard);
                // Every scrape sees the figures of that moment; the exporter's default 300 ms cache would show stale ones.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (settings.OtlpMetrics) metrics.AddOtlpExporter();
            });
        if (settings.OtlpTraces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Wildcard)
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio)))
                .AddOtlpExporter());
        }
    }

    /// <summary>Creates the observable instruments bound to this server's objects (they need the built services).</summary>
    public static void StartGauges(IServiceProvider services) => services.GetRequiredService<ServerGauges>();

    /// <summary>
    /// Touches each component's static instruments so they are published before the first scrape, not at
    /// their first use: a dashboard sees a connections gauge of 0 rather than no series.
    /// </summary>
    private static void LoadInstruments()
    {
        _ = EngineMetrics.Meter;
        _ = JournalMetrics.Meter;
        _ = GatewayMetrics.Meter;
        _ = ServerApiTelemetry.Commands;
        _ = ManagerApiTelemetry.Commands;
    }
}
