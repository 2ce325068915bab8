using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>Request/reply Server API calls on one connection (each waits for its own extID), asserting status 200.</summary>
internal sealed class ServerApiCalls(LineClient client, string token, DealwireProcess? server = null)
{
    private int _next;

    public async Task<JsonElement> CallAsync(string command, object data)
    {
        var ext = $"c{_next++}";
        await client.SendAsync(JsonSerializer.Serialize(new { command, data, extID = ext, __token = token }));
        var line = await client.WaitForAsync(l => l.Contains($"\"extID\":\"{ext}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var reply = JsonDocument.Parse(line).RootElement.Clone();
        Assert.True(reply.GetProperty("status").GetInt32() == 200, $"{command}: {line}\n{server?.CapturedOutput}");
        return reply.GetProperty("data");
    }
}
