using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Diagnostics;

/// <summary>
/// When and how telemetry leaves the process. OTLP follows the standard <c>OTEL_*</c> environment variables
/// and is off unless an endpoint is given; Prometheus text on <c>/metrics</c> is always on.
/// </summary>
internal sealed record TelemetrySettings(bool OtlpMetrics, bool OtlpTraces, double TraceSampleRatio, string ServiceName)
{
    public const string Section = "Telemetry";

    /// <summary>Standard variables the OpenTelemetry SDK reads (exporter endpoint, protocol, headers, resource, sampler).</summary>
    public const string OtelPrefix = "OTEL_";

    public static TelemetrySettings From(IConfiguration configuration)
    {
        if (Flag(configuration["OTEL_SDK_DISABLED"])) return new(false, false, 0, "dealwire");
        var any = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var metrics = any || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        var traces = any || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        if (configuration["OTEL_METRICS_EXPORTER"] is "none") metrics = false;
        if (configuration["OTEL_TRACES_EXPORTER"] is "none") traces = false;

        // Telemetry:TraceSampleRatio wins over the standard OTEL_TRACES_SAMPLER_ARG; a trace a client started is always followed.
        var ratioText = configuration[$"{Section}:TraceSampleRatio"] ?? configuration["OTEL_TRACES_SAMPLER_ARG"];
        var ratio = 0.1;
        if (ratioText is not null && (!double.TryParse(ratioText, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1))
        {
            throw new InvalidOperationException($"Telemetry:TraceSampleRatio must be a number from 0 to 1, not '{ratioText}'.");
        }
        return new(metrics, traces, ratio, configuration["OTEL_SERVICE_NAME"] ?? "dealwire");
    }

    /// <summary>
    /// The <c>OTEL_*</c> environment variables as configuration keys: the server's configuration holds only
    /// <c>DEALWIRE__</c> variables, and the OpenTelemetry SDK reads its settings from configuration.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> OtelEnvironment()
    {
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith(OtelPrefix, StringComparison.Ordinal))
            {
                yield return new(key, variable.Value as string);
            }
        }
    }

    private static bool Flag(string? value) => bool.TryParse(value, out var flag) && flag;
}
