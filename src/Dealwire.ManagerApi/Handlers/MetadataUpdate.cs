using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// <c>{"mode": "merge"|"update", "metadata": {…}}</c>: merge upserts the given keys (a null value is
/// ignored, so deleting a key needs "update"); update replaces the whole map.
/// </summary>
internal sealed record MetadataUpdate(bool Replace, IReadOnlyDictionary<string, string> Values)
{
    public static MetadataUpdate? Read(Request request)
    {
        if (request.OptionalObject("metadata") is not { } block) return null;
        var inner = new Request(request.MessageId, request.Name, block, request.Dialect);
        var mode = inner.RequiredString("mode");
        var values = inner.OptionalStringMap("metadata") ?? Metadata.Empty;
        return mode switch
        {
            "merge" => new MetadataUpdate(false, values),
            "update" => new MetadataUpdate(true, values),
            _ => throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat),
        };
    }

    /// <summary>The stored form of the resulting map.</summary>
    public string Apply(IReadOnlyDictionary<string, string> current)
    {
        var result = Replace ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (k, v) in Values) result[k] = v;
        return Metadata.Serialize(result);
    }
}
