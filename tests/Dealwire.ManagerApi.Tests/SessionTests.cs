using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests;

/// <summary>Transport and session over real sockets: auth first, layout rule, heartbeat, bad input.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ManagerApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_request_before_auth_is_answered_unauthorized_with_its_id()
    {
        await using var client = await _server.ConnectAsync();
        var reply = await client.RequestAsync("get_accounts");
        Assert.Equal("m-1", reply.GetProperty("message_response_id").GetString());
        Assert.Equal("unauthorized", ManagerClient.ServerMessage(reply).GetProperty("error").GetString());
        Assert.Equal(36, reply.GetProperty("message_id").GetString()!.Length);
        Assert.Equal(
            "{\"message_id\":\"" + reply.GetProperty("message_id").GetString() + "\",\"message_response_id\":\"m-1\",\"message_type\":{\"server_message\":{\"error\":\"unauthorized\"}}}",
            client.Received[^1]);
    }

    [Fact]
    public async Task Seed_layout_auth_is_chosen_without_id_representation()
    {
        await using var client = await _server.ConnectAsync();
        var reply = await client.AuthAsync(_server.AdminKey);
        reply.HasKeys("success");
        var session = reply.At("success.auth_result.session_id").GetString();
        Assert.True(Guid.TryParse(session, out _));
    }

    [Fact]
    public async Task Newer_layout_auth_is_chosen_by_id_representation()
    {
        await using var client = await _server.ConnectAsync();
        var reply = await client.AuthAsync(_server.AdminKey, "uuid_only");
        reply.HasKeys("auth_response");
        Assert.True(Guid.TryParse(reply.At("auth_response.success.session_id").GetString(), out _));
    }

    [Fact]
    public async Task A_bad_id_representation_is_rejected()
    {
        await using var client = await _server.ConnectAsync();
        var reply = await client.AuthAsync(_server.AdminKey, "bogus");
        Assert.Equal("invalid_message_format", reply.At("auth_response.error").GetString());
        Assert.Equal("unauthorized", (await client.CallAsync("get_accounts")).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_bad_key_fails_in_both_layouts_and_three_failures_close_the_connection()
    {
        await using var seed = await _server.ConnectAsync();
        Assert.Equal("auth_failed", (await seed.AuthAsync("dwk_wrong")).GetProperty("error").GetString());
        await using var newer = await _server.ConnectAsync();
        Assert.Equal("auth_failed", (await newer.AuthAsync("dwk_wrong", "num_id_preferred")).At("auth_response.error").GetString());
        Assert.Equal("unauthorized", (await newer.CallAsync("get_server_time")).GetProperty("error").GetString());
        await newer.AuthAsync("dwk_wrong", "num_id_preferred");
        await newer.AuthAsync("dwk_wrong", "num_id_preferred");
        Assert.True(await newer.ClosedWithinAsync(ManagerClient.DefaultTimeoutMs));
    }

    [Fact]
    public async Task The_layout_stays_fixed_by_the_first_auth_request()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey);
        var again = await client.AuthAsync(_server.AdminKey, "num_id_preferred");
        Assert.True(again.At("success.auth_result").TryGetProperty("session_id", out _));
        var other = await client.AuthAsync(_server.DemoKey);
        Assert.Equal("auth_failed", other.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("ping", "pong")]
    [InlineData("Ping", "Pong")]
    public async Task Ping_is_answered_with_pong_in_the_same_casing_before_and_after_auth(string ping, string pong)
    {
        await using var client = await _server.ConnectAsync();
        await client.SendRawAsync($"{{\"message_id\":\"p1\",\"message_response_id\":null,\"message_type\":\"{ping}\"}}\r\n");
        var reply = await client.ReadAsync();
        Assert.Equal(pong, reply.GetProperty("message_type").GetString());
        Assert.Equal("p1", reply.GetProperty("message_response_id").GetString());
        await client.AuthAsync(_server.AdminKey, "uuid_only");
        // The JSON-socket variant has no message_response_id field at all.
        await client.SendRawAsync($"{{\"message_id\":\"p2\",\"message_type\":\"{ping}\"}}\n");
        reply = await client.ReadAsync();
        Assert.Equal(pong, reply.GetProperty("message_type").GetString());
        Assert.Equal("p2", reply.GetProperty("message_response_id").GetString());
    }

    [Fact]
    public async Task Malformed_lines_get_an_error_with_null_response_id_and_the_connection_stays()
    {
        await using var client = await _server.ConnectAsync();
        foreach (var bad in new[] { "{not json", "[1,2]", "\"ping\"", "{\"message_id\":5}", "{\"message_type\":{\"client_message\":{}}}" })
        {
            await client.SendRawAsync(bad + "\r\n");
            var reply = await client.ReadAsync();
            Assert.Equal("invalid_message_format", ManagerClient.ServerMessage(reply).GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, reply.GetProperty("message_response_id").ValueKind);
        }
        await client.AuthAsync(_server.AdminKey);
        Assert.True((await client.CallAsync("get_server_time")).At("success.server_time").TryGetProperty("server_time", out _));
    }

    [Fact]
    public async Task Unknown_message_names_and_two_requests_in_one_envelope_are_invalid_format()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey, "uuid_only");
        var reply = await client.RequestAsync("get_everything");
        Assert.Equal("invalid_message_format", ManagerClient.ServerMessage(reply).GetProperty("error").GetString());
        await client.SendRawAsync("{\"message_id\":\"two\",\"message_type\":{\"client_message\":{\"get_server_time\":{},\"get_accounts\":{}}}}\r\n");
        reply = await client.ReadAsync();
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("message_response_id").ValueKind);
        Assert.Equal("invalid_message_format", ManagerClient.ServerMessage(reply).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Unknown_fields_are_tolerated_and_bare_newlines_accepted()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendRawAsync("{\"extra\":[1,{\"x\":null}],\"message_id\":\"a\",\"message_type\":{\"client_message\":{\"auth_request\":{\"secret_key\":\""
            + _server.AdminKey + "\",\"client\":\"v9\"}}}}\n");
        var reply = await client.ReadAsync();
        Assert.Equal("a", reply.GetProperty("message_response_id").GetString());
        Assert.True(ManagerClient.ServerMessage(reply).At("success.auth_result").TryGetProperty("session_id", out _));
    }

    [Fact]
    public async Task Trading_commands_do_not_exist_in_the_seed_layout()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey);
        foreach (var name in new[] { "place_order", "cancel_order", "update_order", "close_position", "update_position", "get_collaterals", "get_balance_operations" })
        {
            Assert.Equal("invalid_message_format", (await client.CallAsync(name)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task An_unauthenticated_flood_is_cut_off_and_other_connections_carry_on()
    {
        await using var flood = await _server.ConnectAsync();
        var lines = string.Concat(Enumerable.Range(0, 200).Select(i =>
            $"{{\"message_id\":\"f{i}\",\"message_type\":{{\"client_message\":{{\"get_accounts\":{{}}}}}}}}\r\n"));
        await flood.SendRawAsync(lines);
        var unauthorized = 0;
        try
        {
            while (await flood.ReadLineAsync() is { } line)
            {
                Assert.Contains("\"error\":\"unauthorized\"", line);
                unauthorized++;
            }
        }
        catch (IOException)
        {
            // Closing a socket with unread input resets it; the point is that it was closed.
        }
        Assert.InRange(unauthorized, 0, 33);

        await using var other = await _server.ConnectAsync();
        await other.AuthAsync(_server.AdminKey);
        Assert.True((await other.CallAsync("get_server_time")).At("success.server_time").TryGetProperty("server_time", out _));
    }

    [Fact]
    public async Task Server_time_is_an_RFC3339_string_in_both_layouts()
    {
        await using var seed = await _server.ConnectAsync();
        await seed.AuthAsync(_server.AdminKey);
        var text = (await seed.CallAsync("get_server_time")).At("success.server_time.server_time").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", text);
        Assert.InRange(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        await using var newer = await _server.ConnectAsync();
        await newer.AuthAsync(_server.AdminKey, "uuid_only");
        var reply = await newer.CallAsync("get_server_time");
        reply.HasKeys("server_time_response");
        Assert.Matches(@"^\d{4}-", reply.At("server_time_response.success.server_time").GetString()!);
    }
}

/// <summary>Listener options that need their own server.</summary>
public sealed class ListenerOptionTests
{
    [Fact]
    public async Task A_silent_connection_is_closed_after_the_heartbeat_timeout_and_pings_keep_it_open()
    {
        // A 2 s timeout and a ping every 250 ms: a busy machine can delay a ping several times over before the
        // pinging connection is at risk, while the silent one must go within a few seconds.
        await using var server = await ManagerApiServer.StartAsync(new() { ["HeartbeatTimeoutSeconds"] = "2" });
        await using var pinging = await server.ConnectAsync();
        var sinceSilentConnected = System.Diagnostics.Stopwatch.StartNew();
        await using var silent = await server.ConnectAsync();
        var silentClosed = silent.ClosedWithinAsync(20_000);
        while (!silentClosed.IsCompleted)
        {
            await Task.Delay(250);
            await pinging.SendRawAsync("{\"message_id\":\"hb\",\"message_type\":\"ping\"}\r\n");
            Assert.Equal("pong", (await pinging.ReadAsync()).GetProperty("message_type").GetString());
        }
        Assert.True(await silentClosed);
        Assert.True(sinceSilentConnected.Elapsed >= TimeSpan.FromSeconds(1.9), $"closed after {sinceSilentConnected.Elapsed}, before its 2 s timeout");
        Assert.Equal("pong", await PingAsync(pinging));
    }

    [Fact]
    public async Task Lines_over_the_limit_are_answered_and_skipped()
    {
        await using var server = await ManagerApiServer.StartAsync(new() { ["MaxLineBytes"] = "256" });
        await using var client = await server.ConnectAsync();
        await client.SendRawAsync("{\"message_id\":\"" + new string('x', 5000) + "\"}\r\n");
        var reply = await client.ReadAsync();
        Assert.Equal("invalid_message_format", ManagerClient.ServerMessage(reply).GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("message_response_id").ValueKind);
        Assert.Equal("pong", await PingAsync(client));
    }

    [Fact]
    public async Task A_listener_forced_to_the_newer_layout_ignores_the_auth_rule()
    {
        await using var server = await ManagerApiServer.StartAsync(new() { ["Layout"] = "Newer" });
        await using var client = await server.ConnectAsync();
        var reply = await client.AuthAsync(server.AdminKey);
        Assert.True(reply.At("auth_response.success").TryGetProperty("session_id", out _));
    }

    private static async Task<string?> PingAsync(ManagerClient client)
    {
        await client.SendRawAsync("{\"message_id\":\"x\",\"message_type\":\"ping\"}\r\n");
        return (await client.ReadAsync()).GetProperty("message_type").GetString();
    }
}
