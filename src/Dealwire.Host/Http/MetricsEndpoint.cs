using System.Globalization;
using System.Text;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Dealwire.Host.Http;

/// <summary><c>GET /metrics</c>: engine, feed and filter counters in the Prometheus text format (0.0.4).</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", async (EngineRunner runner, FeedService feed, CancellationToken cancellationToken) =>
        {
            var figures = await EngineProbe.ReadAsync(runner, cancellationToken);
            return Results.Text(Render(runner, feed, figures), ContentType);
        });
        return endpoints;
    }

    public static string Render(EngineRunner runner, FeedService feed, EngineFigures? figures)
    {
        var text = new StringBuilder(2048);
        var c = runner.Counters;

        Metric(text, "dealwire_engine_up", "gauge", "1 when the engine is running and answered the probe.", figures is null ? 0 : 1);
        foreach (var state in Enum.GetValues<EngineState>())
        {
            if (state == EngineState.Created) Header(text, "dealwire_engine_state", "gauge", "The engine's lifecycle state (1 = current).");
            Sample(text, "dealwire_engine_state", $"state=\"{state}\"", runner.State == state ? 1 : 0);
        }
        Metric(text, "dealwire_engine_ticks_processed_total", "counter", "Ticks applied by the engine.", EngineProbe.Read(ref c.TicksProcessed));
        Header(text, "dealwire_engine_ticks_rejected_total", "counter", "Ticks the engine refused, by reason.");
        Sample(text, "dealwire_engine_ticks_rejected_total", "reason=\"unknown_symbol\"", EngineProbe.Read(ref c.TicksRejectedUnknownSymbol));
        Sample(text, "dealwire_engine_ticks_rejected_total", "reason=\"out_of_order\"", EngineProbe.Read(ref c.TicksRejectedOutOfOrder));
        Sample(text, "dealwire_engine_ticks_rejected_total", "reason=\"invalid\"", EngineProbe.Read(ref c.TicksRejectedInvalid));
        Metric(text, "dealwire_engine_ticks_dropped_total", "counter", "Ticks dropped because the engine queue was full.", runner.TicksDropped);
        Metric(text, "dealwire_engine_commands_applied_total", "counter", "Commands applied.", EngineProbe.Read(ref c.CommandsApplied));
        Metric(text, "dealwire_engine_commands_rejected_total", "counter", "Commands rejected with a return code.", EngineProbe.Read(ref c.CommandsRejected));
        if (figures is not null)
        {
            Metric(text, "dealwire_engine_sequence", "gauge", "Sequence of the last applied command.", figures.Sequence);
            Metric(text, "dealwire_engine_symbols", "gauge", "Configured symbols.", figures.Symbols);
            Metric(text, "dealwire_engine_accounts", "gauge", "Accounts.", figures.Accounts);
        }

        Metric(text, "dealwire_feed_ticks_offered_total", "counter", "Ticks the quote feed produced.", feed.Feed?.TicksOffered ?? 0);
        var f = feed.Filter.Counters;
        Metric(text, "dealwire_quote_filter_accepted_total", "counter", "Feed ticks passed to the engine by the quote filter.", f.Accepted);
        Header(text, "dealwire_quote_filter_rejected_total", "counter", "Feed ticks the quote filter refused, by reason.");
        Sample(text, "dealwire_quote_filter_rejected_total", "reason=\"non_positive\"", f.NonPositive);
        Sample(text, "dealwire_quote_filter_rejected_total", "reason=\"crossed\"", f.Crossed);
        Sample(text, "dealwire_quote_filter_rejected_total", "reason=\"stale\"", f.Stale);
        Sample(text, "dealwire_quote_filter_rejected_total", "reason=\"spike\"", f.Spike);
        return text.ToString();
    }

    private static void Metric(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        Sample(text, name, null, value);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string? labels, long value)
    {
        text.Append(name);
        if (labels is not null) text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
