using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dealwire.Integration.Accounts;

/// <summary>
/// What the integration protocol remembers on an account, inside its <c>ApiData</c> JSON object (where the Manager
/// API keeps account metadata, docs/manager-api.md "Metadata"): the caller's metadata map as plain keys, plus two
/// reserved keys holding the <c>ProcessId</c> of the create and of the last update with a fingerprint of their
/// requests. Account creation and profile updates are not idempotent engine commands (the engine's keys cover money
/// and trades), so these marks, journaled with the profile, are what makes a retried CreateAccount or UpdateAccount
/// answer <c>ProcessIdDuplicate</c> after a restart too.
/// </summary>
public sealed record IntegrationMarks(IReadOnlyDictionary<string, string> Metadata, ProcessMark? Create, ProcessMark? Update)
{
    public const string CreateKey = "$yft.create";
    public const string UpdateKey = "$yft.update";

    public static IntegrationMarks Parse(string? apiData)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        ProcessMark? create = null, update = null;
        if (!string.IsNullOrEmpty(apiData) && apiData[0] == '{')
        {
            try
            {
                using var doc = JsonDocument.Parse(apiData);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String) continue;
                    var value = p.Value.GetString()!;
                    if (p.Name == CreateKey) create = ProcessMark.Parse(value);
                    else if (p.Name == UpdateKey) update = ProcessMark.Parse(value);
                    else metadata[p.Name] = value;
                }
            }
            catch (JsonException)
            {
                // Not ours (free text a manager wrote): no metadata, no marks.
            }
        }
        return new IntegrationMarks(metadata, create, update);
    }

    public string Serialize()
    {
        var all = new Dictionary<string, string>(Metadata, StringComparer.Ordinal);
        if (Create is { } c) all[CreateKey] = c.ToString();
        if (Update is { } u) all[UpdateKey] = u.ToString();
        return all.Count == 0 ? "" : JsonSerializer.Serialize(all);
    }

    /// <summary>Metadata keys the caller may not set (they would overwrite a mark).</summary>
    public static bool IsReserved(string key) => key.StartsWith("$yft.", StringComparison.Ordinal);
}

/// <summary>A <c>ProcessId</c> used by one actor, with the fingerprint of the request it named.</summary>
public sealed record ProcessMark(string Actor, string ProcessId, string Fingerprint)
{
    public bool Names(string actor, string processId) => Actor == actor && ProcessId == processId;

    public override string ToString() => $"{Actor}|{Fingerprint}|{ProcessId}";

    public static ProcessMark? Parse(string text)
    {
        var first = text.IndexOf('|', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf('|', first + 1);
        return second < 0 ? null : new ProcessMark(text[..first], text[(second + 1)..], text[(first + 1)..second]);
    }

    /// <summary>A short hash of a request's fields in a fixed order (the proto's own encoding is not canonical for maps).</summary>
    public static string FingerprintOf(params object?[] fields)
    {
        var text = string.Join('\u001f', fields.Select(f => f switch
        {
            null => "\u2205",
            IReadOnlyDictionary<string, string> map => string.Join('\u001e', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)),
            IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => f.ToString(),
        }));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 12);
    }
}
