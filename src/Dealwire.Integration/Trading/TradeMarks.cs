using System.Text.Json;

namespace Dealwire.Integration.Trading;

/// <summary>
/// A trade's <c>ApiData</c> JSON object (the Manager API's metadata map, docs/manager-api.md "Metadata") plus the
/// reserved key <c>$yft.process</c>: the ProcessId that opened the position or placed the order, so the models can
/// answer <c>ProcessIdCreate</c>/<c>OpenProcessId</c> from the record itself. It is part of the command, so the
/// engine's idempotency fingerprint covers it like the rest of the request.
/// </summary>
public static class TradeMarks
{
    public const string ProcessKey = "$yft.process";

    public static string Serialize(IReadOnlyDictionary<string, string> metadata, string processId)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in metadata) all[k] = v;
        all[ProcessKey] = processId;
        return JsonSerializer.Serialize(all);
    }

    public static (IReadOnlyDictionary<string, string> Metadata, string ProcessId) Parse(string? apiData)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var processId = "";
        if (string.IsNullOrEmpty(apiData) || apiData[0] != '{') return (metadata, processId);
        try
        {
            using var doc = JsonDocument.Parse(apiData);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String) continue;
                if (p.Name == ProcessKey) processId = p.Value.GetString()!;
                else metadata[p.Name] = p.Value.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Free text another protocol wrote: no metadata.
        }
        return (metadata, processId);
    }
}
