using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Cluster.Tests.Faults;

/// <summary>
/// One Server API connection to one replica, with that replica's admin token (JWT keys are per data directory).
/// <see cref="CallAsync"/> returns the whole reply object: status, error and data, as the wire has them.
/// </summary>
internal sealed class ReplicaClient : IAsyncDisposable
{
    private readonly LineClient _line;
    private readonly string _token;
    private long _next;

    private ReplicaClient(string nodeId, LineClient line, string token)
    {
        NodeId = nodeId;
        _line = line;
        _token = token;
    }

    public string NodeId { get; }

    public static async Task<ReplicaClient> ConnectAsync(string nodeId, DealwireProcess node)
    {
        var line = await LineClient.ConnectAsync(node.ServerApiPort);
        return new ReplicaClient(nodeId, line, node.AdminToken);
    }

    /// <summary>Sends one command and waits for its reply (pushed events on the connection are skipped).</summary>
    public async Task<JsonElement> CallAsync(string command, object data, TimeSpan timeout)
    {
        var extId = $"c{++_next}";
        var request = JsonSerializer.Serialize(new Dictionary<string, object> { ["command"] = command, ["data"] = data, ["extID"] = extId, ["__token"] = _token });
        await _line.SendAsync(request);
        var reply = await _line.WaitForAsync(line => line.StartsWith('{') && line.Contains($"\"extID\":\"{extId}\"", StringComparison.Ordinal), timeout);
        using var document = JsonDocument.Parse(reply);
        return document.RootElement.Clone();
    }

    /// <summary>The data of a 200 reply; throws with the reply otherwise (setup and verification calls must succeed).</summary>
    public async Task<JsonElement> CallOkAsync(string command, object data, TimeSpan? timeout = null)
    {
        var reply = await CallAsync(command, data, timeout ?? TimeSpan.FromSeconds(20));
        if (reply.GetProperty("status").GetInt32() != 200) throw new InvalidOperationException($"{command} on {NodeId}: {reply}");
        return reply.GetProperty("data");
    }

    /// <summary>The next pushed line (or reply) that satisfies <paramref name="predicate"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout) => _line.WaitForAsync(predicate, timeout);

    public ValueTask DisposeAsync() => _line.DisposeAsync();
}
