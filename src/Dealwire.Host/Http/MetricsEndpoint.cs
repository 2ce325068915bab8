using Dealwire.Host.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;

namespace Dealwire.Host.Http;

/// <summary>
/// <c>GET /metrics</c>: every <c>Dealwire.*</c> meter in the Prometheus text format (0.0.4; OpenMetrics when the
/// scraper asks for it), written by the OpenTelemetry Prometheus exporter. Nothing is hand-written here.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplication MapMetrics(this WebApplication app)
    {
        // The engine-thread figures are read fresh for each scrape, before the exporter collects them.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == Path)
            {
                await context.RequestServices.GetRequiredService<EngineFigureCache>().RefreshAsync(context.RequestAborted);
            }
            await next(context);
        });
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
