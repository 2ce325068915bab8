using System.Text;
using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests;

/// <summary>
/// Requests of one connection run concurrently, but replies leave in request order: the spec correlates by
/// <c>message_response_id</c> and never says a reply may overtake an earlier one.
/// </summary>
public sealed class ConcurrentRequestTests
{
    [Fact]
    public async Task Replies_to_a_burst_of_heavy_and_light_requests_leave_in_request_order()
    {
        await using var server = await ManagerApiServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.AuthAsync(server.AdminKey, "uuid_only");

        // Table reads (an engine or projection hop and a list to serialize) alternate with the server time
        // (answered at once): run side by side, every light request would finish before the heavy one ahead of it.
        var burst = new StringBuilder();
        var sent = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var id = $"burst-{i}";
            var name = (i % 4) switch { 0 => "get_accounts", 1 => "get_server_time", 2 => "get_positions", _ => "get_server_time" };
            burst.Append($"{{\"message_id\":\"{id}\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"{name}\":{{}}}}}}}}\r\n");
            sent.Add(id);
        }
        await client.SendRawAsync(burst.ToString());

        var answered = new List<string>();
        while (answered.Count < sent.Count)
        {
            var reply = await client.ReadAsync();
            if (reply.GetProperty("message_response_id") is { ValueKind: JsonValueKind.String } id) answered.Add(id.GetString()!);
        }
        Assert.Equal(sent, answered);
    }

    [Fact]
    public async Task A_subscribe_between_requests_runs_alone_its_confirmation_follows_the_earlier_replies()
    {
        await using var server = await ManagerApiServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.AuthAsync(server.AdminKey, "uuid_only");

        var before = await client.SendAsync("get_accounts");
        var subscribe = await client.SendAsync("subscribe", "{\"topics\":[\"accounts\"]}");
        var after = await client.SendAsync("get_server_time");

        var order = new List<string>();
        while (!order.Contains(after))
        {
            var reply = await client.ReadAsync();
            if (reply.GetProperty("message_response_id") is { ValueKind: JsonValueKind.String } id) order.Add(id.GetString()!);
        }
        Assert.Equal([before, subscribe, after], order);
    }
}
