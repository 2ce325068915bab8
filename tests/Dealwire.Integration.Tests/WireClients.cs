using System.Globalization;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Integration.Tests;

/// <summary>
/// Just enough of the two JSON-line protocols for cross-protocol checks, over the shared <see cref="LineClient"/>:
/// the Manager API envelope (<c>message_id</c> / <c>message_response_id</c>) and the Server API one (<c>extID</c>).
/// </summary>
public static class WireClients
{
    private static int _next;

    private static string NextId() => "g" + Interlocked.Increment(ref _next).ToString("D9", CultureInfo.InvariantCulture);

    /// <summary>A Manager API request's <c>server_message</c>.</summary>
    public static async Task<JsonElement> ManagerCallAsync(this LineClient client, string name, string body)
    {
        var id = NextId();
        await client.SendAsync($"{{\"message_id\":\"{id}\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"{name}\":{body}}}}}}}");
        var line = await client.WaitForAsync(l => l.Contains($"\"message_response_id\":\"{id}\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.GetProperty("message_type").GetProperty("server_message").Clone();
    }

    /// <summary>A Server API command's reply (<c>status</c>, <c>data</c>).</summary>
    public static async Task<JsonElement> ServerCallAsync(this LineClient client, string command, object data, string token)
    {
        var id = NextId();
        await client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["command"] = command, ["data"] = data, ["extID"] = id, ["__token"] = token }));
        var line = await client.WaitForAsync(l => l.StartsWith('{') && l.Contains($"\"extID\":\"{id}\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
