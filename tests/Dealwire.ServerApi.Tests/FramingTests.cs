using System.Text;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>Line framing, envelopes and malformed input, byte for byte over a real socket.</summary>
public sealed class FramingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Reply_is_one_json_object_ending_in_crlf_with_extid_echoed()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync($$"""{"command":"Subscribe","data":{"chanels":["EURUSD"]},"extID":"sub1","__token":"{{Host.AdminToken}}"}""");
        var line = await c.ReadLineAsync();
        Assert.Equal("""{"extID":"sub1","status":200,"data":"OK"}""", line);
        Assert.Equal(Encoding.UTF8.GetBytes(line + "\r\n"), c.LastRawLine);
    }

    [Fact]
    public async Task Bare_lf_is_accepted_and_blank_lines_are_ignored()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendRawAsync(Encoding.UTF8.GetBytes($"\r\n  \n{Wire.Request("SubscribeAll", null, Host.AdminToken, "lf1")}\n"));
        var reply = Wire.Parse(await c.ReadLineAsync());
        Assert.Equal("lf1", reply.GetProperty("extID").GetString());
        reply.AssertOk();
    }

    [Fact]
    public async Task ExtId_spelling_is_accepted_and_answered_as_extID()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync($$"""{"command":"SubscribeAll","data":{},"extId":"low-d","__token":"{{Host.AdminToken}}"}""");
        Assert.Equal("""{"extID":"low-d","status":200,"data":"OK"}""", await c.ReadLineAsync());
    }

    [Fact]
    public async Task Numeric_extid_is_echoed_as_a_string()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync($$"""{"command":"SubscribeAll","data":{},"extID":12345,"__token":"{{Host.AdminToken}}"}""");
        Assert.Equal("""{"extID":"12345","status":200,"data":"OK"}""", await c.ReadLineAsync());
    }

    [Theory]
    [InlineData("{\"command\":\"Subscribe\",", "malformed JSON")]
    [InlineData("[1,2,3]", "must be a JSON object, not an array")]
    [InlineData("42", "must be a JSON object, not a number")]
    [InlineData("\"hello\"", "must be a JSON object, not a string")]
    [InlineData("null", "must be a JSON object, not null")]
    public async Task Bad_json_gets_invalid_data_and_the_connection_stays_open(string line, string messagePart)
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync(line);
        var reply = Wire.Parse(await c.ReadLineAsync());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reply.GetProperty("extID").ValueKind);
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains(messagePart, reply.GetProperty("message").GetString());
        (await c.CallAsync("SubscribeAll", null, Host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Invalid_utf8_and_binary_garbage_are_rejected_without_closing()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendRawAsync([.. "{\"command\":\"Sub\xff\"}"u8.ToArray().Take(14), 0xC3, 0x28, (byte)'"', (byte)'}', (byte)'\r', (byte)'\n']);
        Wire.Parse(await c.ReadLineAsync()).AssertError(400, "INVALID_DATA");
        await c.SendRawAsync([0x00, 0x01, 0xFF, 0xFE, 0x80, 0x7F, 0x1B, (byte)'\n']);
        Wire.Parse(await c.ReadLineAsync()).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("SubscribeAll", null, Host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Envelope_errors_name_the_problem_and_echo_extid()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync($$"""{"data":{},"extID":"nocmd","__token":"{{Host.AdminToken}}"}""");
        var reply = Wire.Parse(await c.ReadLineAsync());
        Assert.Equal("nocmd", reply.GetProperty("extID").GetString());
        reply.AssertError(400, "INVALID_DATA");

        await c.SendAsync($$"""{"command":"SubscribeAll","data":[1],"extID":"arr","__token":"{{Host.AdminToken}}"}""");
        reply = Wire.Parse(await c.ReadLineAsync());
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains("data must be an object", reply.GetProperty("message").GetString());

        var unknown = await c.CallAsync("NoSuchCommand", null, Host.AdminToken);
        unknown.AssertError(400, "INVALID_DATA");
        Assert.Contains("unknown command 'NoSuchCommand'", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Many_requests_in_flight_on_one_socket_are_all_answered_by_extid()
    {
        await using var c = await Host.ConnectAsync();
        var ids = Enumerable.Range(0, 200).Select(i => $"m{i}").ToList();
        var batch = string.Concat(ids.Select(id => Wire.Request("GetSymbol", new { symbol = "EURUSD" }, Host.AdminToken, id) + "\r\n"));
        await c.SendRawAsync(Encoding.UTF8.GetBytes(batch));
        var seen = new HashSet<string>();
        while (seen.Count < ids.Count)
        {
            var line = await c.ReadLineAsync();
            var reply = Wire.Parse(line);
            reply.AssertOk();
            Assert.True(seen.Add(reply.GetProperty("extID").GetString()!));
            Assert.DoesNotContain('\n', line);
        }
        Assert.True(ids.ToHashSet().SetEquals(seen));
    }

    [Fact]
    public async Task Replies_never_contain_raw_newlines_even_when_data_does()
    {
        await using var c = await Host.ConnectAsync();
        var reply = await c.CallAsync("MngAddAccount", new
        {
            group = "demo", name = "Line\r\nBreak", email = "a@b.c", password = "secret1", leverage = 100, enable = 1, comment = "x\ny",
        }, Host.AdminToken);
        reply.AssertOk();
        var login = reply.Data().GetProperty("login").GetInt64();
        var id = Wire.NextId();
        await c.SendAsync(Wire.Request("GetAccountByLogin", new { login }, Host.AdminToken, id));
        await c.ReplyAsync(id);
        var raw = c.LastRawLine;
        Assert.Equal(1, raw.Count(b => b == (byte)'\n'));
        Assert.Equal(1, raw.Count(b => b == (byte)'\r'));
        Assert.Contains("Line\\r\\nBreak", Encoding.UTF8.GetString(raw));
    }
}
