using System.Globalization;
using System.Text;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Console.Tests.Scale;

/// <summary>
/// Seeds a real server quickly through its public Server API: commands written in windows (many lines per socket
/// write) and their replies matched by extID, so tens of thousands of accounts and trades go in within a minute rather
/// than one round trip each. Pushed quotes and events on the connection are skipped.
/// </summary>
public sealed class PipelinedServerApi(LineClient client, string token) : IAsyncDisposable
{
    private long _next;

    public static async Task<PipelinedServerApi> ConnectAsync(DealwireProcess server)
    {
        var client = await LineClient.ConnectAsync(server.ServerApiPort);
        client.Timeout = TimeSpan.FromSeconds(60);
        return new PipelinedServerApi(client, server.AdminToken);
    }

    /// <summary>Runs every command, at most <paramref name="window"/> in flight; returns each reply's status and data, in order.</summary>
    public async Task<IReadOnlyList<(int Status, JsonElement Data)>> RunAsync(IReadOnlyList<(string Command, object Data)> commands, int window = 256)
    {
        var results = new (int, JsonElement)[commands.Count];
        for (var start = 0; start < commands.Count; start += window)
        {
            var count = Math.Min(window, commands.Count - start);
            var ids = new Dictionary<string, int>(count, StringComparer.Ordinal);
            var batch = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var id = "s" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
                ids[id] = start + i;
                var (command, data) = commands[start + i];
                batch.Append(JsonSerializer.Serialize(new Dictionary<string, object?> { ["command"] = command, ["data"] = data, ["extID"] = id, ["__token"] = token })).Append("\r\n");
            }
            await client.SendRawAsync(Encoding.UTF8.GetBytes(batch.ToString()));
            var pending = count;
            while (pending > 0)
            {
                var line = await client.ReadLineAsync();
                if (!line.StartsWith('{') || !line.Contains("\"extID\":\"s", StringComparison.Ordinal)) continue; // quotes, notifications, events
                using var doc = JsonDocument.Parse(line);
                if (!doc.RootElement.TryGetProperty("extID", out var ext) || ext.GetString() is not { } extId || !ids.Remove(extId, out var index)) continue;
                var status = doc.RootElement.GetProperty("status").GetInt32();
                results[index] = (status, doc.RootElement.TryGetProperty("data", out var d) ? d.Clone() : default);
                pending--;
            }
        }
        return results;
    }

    /// <summary>
    /// Runs the commands over <paramref name="connections"/> connections at once, each taking every n-th command (a
    /// connection works through its commands in order, so more connections keep more of them in the engine's queue).
    /// </summary>
    public static async Task<IReadOnlyList<(int Status, JsonElement Data)>> RunParallelAsync(DealwireProcess server,
        IReadOnlyList<(string Command, object Data)> commands, int connections = 8)
    {
        var results = new (int, JsonElement)[commands.Count];
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = Enumerable.Range(0, commands.Count).Where(i => i % connections == c).ToList();
            await using var api = await ConnectAsync(server);
            var replies = await api.RunAsync(mine.Select(i => commands[i]).ToList());
            for (var k = 0; k < mine.Count; k++) results[mine[k]] = replies[k];
        }));
        return results;
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
