using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// A real <c>dealwire serve</c> with the Manager API limits turned down: 4 s to authenticate and to finish a
/// line (long enough that a loaded CI machine answers the pings sent before it), 96 KiB of partial lines for the
/// listener, 64 KiB of pending replies per connection. Heartbeat
/// silence is 60 s so that only the limits under test close connections.
/// </summary>
public sealed class ManagerLimitsFixture : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    public DealwireProcess Server { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server => AdminKey = await ManagerProcessFixture.IssueKeyAsync(server, "admin", "*"),
        }.WithFixedPrices();
        options.Environment["DEALWIRE__ManagerApi__HeartbeatTimeoutSeconds"] = "60";
        options.Environment["DEALWIRE__ManagerApi__AuthenticationTimeout"] = Deadline.ToString("c", CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ManagerApi__LineCompletionTimeout"] = Deadline.ToString("c", CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ManagerApi__MaxPartialLineBytes"] = (96 * 1024).ToString(CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ManagerApi__MaxPendingReplyBytes"] = (64 * 1024).ToString(CultureInfo.InvariantCulture);
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Server.ManagerApiPort);

    /// <summary>A connection authenticated in the newer layout with numeric ids.</summary>
    public async Task<LineClient> ConnectAuthenticatedAsync()
    {
        var client = await ConnectAsync();
        var reply = await client.RequestAsync("auth", "auth_request", $"{{\"secret_key\":\"{AdminKey}\",\"id_representation\":\"num_id_preferred\"}}");
        Assert.True(reply.At("message_type.server_message.auth_response.success").ValueKind == JsonValueKind.Object, reply.GetRawText());
        return client;
    }
}

/// <summary>Manager API resource limits, bad input bytes and half-close, against the real process.</summary>
[Trait("Category", "Slow")] // real-time deadlines (4 s) against a server process of its own
public sealed class ManagerLimitsEndToEndTests(ManagerLimitsFixture fixture) : IClassFixture<ManagerLimitsFixture>
{
    [Fact]
    public async Task A_connection_that_does_not_authenticate_in_time_is_closed_and_pings_do_not_extend_the_deadline()
    {
        var clock = Stopwatch.StartNew();
        await using var anonymous = await fixture.ConnectAsync();
        await using var authenticated = await fixture.ConnectAuthenticatedAsync();
        for (var i = 0; i < 3; i++)
        {
            await anonymous.SendAsync($"{{\"message_id\":\"p{i}\",\"message_type\":\"ping\"}}");
            Assert.Equal("pong", Json(await anonymous.ReadLineAsync()).GetProperty("message_type").GetString());
            await Task.Delay(400);
        }
        var closing = Json(await anonymous.WaitForAsync(l => l.Contains("server_message", StringComparison.Ordinal)));
        Assert.Equal("unauthorized", closing.At("message_type.server_message.error").GetString());
        Assert.True(await anonymous.IsClosedByServerAsync());
        Assert.InRange(clock.Elapsed, ManagerLimitsFixture.Deadline - TimeSpan.FromMilliseconds(100), ManagerLimitsFixture.Deadline + TimeSpan.FromSeconds(5));
        await fixture.Server.WaitForOutputAsync("(authentication timeout)", TimeSpan.FromSeconds(5));

        var past = ManagerLimitsFixture.Deadline + TimeSpan.FromMilliseconds(500) - clock.Elapsed;
        if (past > TimeSpan.Zero) await Task.Delay(past);
        var time = await authenticated.RequestAsync("t", "get_server_time", "{}");
        Assert.Equal("t", time.GetProperty("message_response_id").GetString());
    }

    [Fact]
    public async Task A_line_not_finished_in_time_closes_the_connection_even_while_bytes_trickle_in()
    {
        await using var client = await fixture.ConnectAuthenticatedAsync();
        var clock = Stopwatch.StartNew();
        await client.SendRawAsync("{\"message_id\":\"slow\",\"message_type\":{\"client_message\":{\"get_server_time\":{\"pad\":\""u8.ToArray());
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(250, stop.Token);
                    await client.SendRawAsync("x"u8.ToArray());
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Stopped, or the server closed the connection.
            }
        });
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await trickle;
        Assert.InRange(elapsed, ManagerLimitsFixture.Deadline - TimeSpan.FromMilliseconds(100), ManagerLimitsFixture.Deadline + TimeSpan.FromSeconds(5));
        await fixture.Server.WaitForOutputAsync("(line completion timeout)", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Partial_lines_over_the_listener_budget_close_the_connection_that_would_exceed_it()
    {
        // 2 × 60 KiB of unfinished lines > the 96 KiB budget: exactly one of the two is closed.
        var start = Encoding.UTF8.GetBytes("{\"message_id\":\"big\",\"message_type\":{\"client_message\":{\"get_server_time\":{\"pad\":\"" + new string('p', 60 * 1024));
        var end = "\"}}}}\r\n"u8.ToArray();
        await using var first = await fixture.ConnectAuthenticatedAsync();
        await using var second = await fixture.ConnectAuthenticatedAsync();
        await first.SendRawAsync(start);
        await second.SendRawAsync(start);
        await fixture.Server.WaitForOutputAsync("(MaxPartialLineBytes)", TimeSpan.FromSeconds(5));

        var outcomes = new List<JsonElement>();
        foreach (var client in new[] { first, second })
        {
            try
            {
                await client.SendRawAsync(end);
            }
            catch (IOException)
            {
                // The closed one may refuse the write.
            }
            outcomes.Add(Json(await client.ReadLineAsync()));
        }
        var refused = Assert.Single(outcomes, o => o.GetProperty("message_response_id").ValueKind == JsonValueKind.Null);
        Assert.Equal("network_error", refused.At("message_type.server_message.error").GetString());
        Assert.Single(outcomes, o => o.GetProperty("message_response_id").GetString() == "big");
        Assert.True(await (outcomes[0].GetProperty("message_response_id").ValueKind == JsonValueKind.Null ? first : second).IsClosedByServerAsync());
    }

    /// <summary>The outbox is bounded in bytes: a reader that never reads is closed once 64 KiB of replies wait (not after 10 000 of them).</summary>
    [Fact]
    public async Task A_reader_that_never_reads_is_closed_when_its_pending_replies_pass_the_byte_budget()
    {
        // A small receive window from the start, so the socket buffers soak up only a few MiB of replies.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync("127.0.0.1", fixture.Server.ManagerApiPort);
        await socket.SendAsync(Encoding.UTF8.GetBytes(Envelope("auth", "auth_request", $"{{\"secret_key\":\"{fixture.AdminKey}\"}}")));
        // 9 000 requests of 3 000 each, ~0.7 KiB per get_last_prices reply: ~19 MiB the client never reads.
        var batch = new StringBuilder();
        for (var i = 0; i < 9_000; i++)
        {
            batch.Append("{\"message_id\":\"lp").Append(i).Append("\",\"message_type\":{\"client_message\":{\"get_last_prices\":{}}}}\r\n");
        }
        var bytes = Encoding.UTF8.GetBytes(batch.ToString());
        try
        {
            for (var round = 0; round < 3; round++) await socket.SendAsync(bytes);
        }
        catch (SocketException)
        {
            // Closed while we were still writing: that is the outcome under test.
        }
        await fixture.Server.WaitForOutputAsync("(MaxPendingReplyBytes): reader too slow", TimeSpan.FromSeconds(30));
        // What was already in the socket buffers still arrives, then the end of the stream.
        var received = await RawWire.ReadToEndAsync(socket, TimeSpan.FromSeconds(30));
        Assert.Contains("\"message_response_id\":\"auth\"", received, StringComparison.Ordinal);
    }

    /// <summary>Text that is not Unicode in message_id or message_type: invalid_message_format, and the connection stays.</summary>
    [Theory]
    [InlineData("""{"message_id":"\ud800","message_type":"ping"}""")]
    [InlineData("""{"message_id":"bad-type","message_type":"\udc00ping"}""")]
    [InlineData("""{"message_id":"bad-name","message_type":{"client_message":{"get_server_time\ud800":{}}}}""")]
    [InlineData("""{"message_id":"<FF>","message_type":"ping"}""")]
    [InlineData("""{"message_id":"utf8-type","message_type":"pi<C0>ng"}""")]
    [InlineData("""{"message_id":"<ED><A0><80>","message_type":{"client_message":{"get_server_time":{}}}}""")]
    public async Task Text_that_is_not_unicode_is_answered_invalid_message_format_and_the_connection_is_kept(string line)
    {
        await using var client = await fixture.ConnectAuthenticatedAsync();
        for (var i = 0; i < 3; i++)
        {
            await client.SendRawAsync(RawWire.Bytes(line + "\r\n"));
            var reply = Json(await client.ReadLineAsync());
            Assert.Equal("invalid_message_format", reply.At("message_type.server_message.error").GetString());
            Assert.Equal(JsonValueKind.Null, reply.GetProperty("message_response_id").ValueKind);
        }
        var time = await client.RequestAsync("after", "get_server_time", "{}");
        Assert.Equal("after", time.GetProperty("message_response_id").GetString());
        await fixture.Server.WaitForOutputAsync("Client fault on connection", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("fail:", fixture.Server.OutputSinceLastStart, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", fixture.Server.OutputSinceLastStart, StringComparison.Ordinal);
    }

    /// <summary>auth + deposit, then FIN at once, 20 times: each round the deposit is answered and applied, or neither.</summary>
    [Fact]
    public async Task A_request_followed_at_once_by_fin_is_answered_and_applied_or_neither()
    {
        const long login = ManagerProcessFixture.NettingLogin;
        await using var control = await fixture.ConnectAuthenticatedAsync();
        var answered = 0;
        for (var round = 0; round < 20; round++)
        {
            var before = await BalanceAsync(control, login);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", fixture.Server.ManagerApiPort);
            var id = "fin-" + round.ToString(CultureInfo.InvariantCulture);
            var lines =
                Envelope("auth", "auth_request", $"{{\"secret_key\":\"{fixture.AdminKey}\",\"id_representation\":\"num_id_preferred\"}}")
                + Envelope(id, "update_balance", $"{{\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}},\"delta\":1,\"process_id\":\"{id}\",\"reason\":\"deposit\",\"comment\":\"{id}\"}}");
            await socket.SendAsync(Encoding.UTF8.GetBytes(lines));
            socket.Shutdown(SocketShutdown.Send);

            var received = await RawWire.ReadToEndAsync(socket);
            var reply = received.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(Json)
                .FirstOrDefault(m => m.TryGetProperty("message_response_id", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == id);
            var after = await BalanceAsync(control, login);
            if (reply.ValueKind == JsonValueKind.Object)
            {
                Assert.Equal(before + 1m, reply.At("message_type.server_message.update_balance_response.success.account.balance").GetDecimal());
                Assert.Equal(before + 1m, after);
                answered++;
            }
            else
            {
                Assert.Equal(before, after);
            }
        }
        Assert.Equal(20, answered);
    }

    private static async Task<decimal> BalanceAsync(LineClient control, long login)
    {
        var reply = await control.RequestAsync("bal-" + Guid.NewGuid().ToString("N"), "get_accounts", $"{{\"account_id\":{{\"id\":{login}}}}}");
        var account = Assert.Single(reply.At("message_type.server_message.get_accounts_response.success").EnumerateArray());
        return account.GetProperty("balance").GetDecimal();
    }

    private static string Envelope(string id, string name, string body) =>
        $"{{\"message_id\":\"{id}\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"{name}\":{body}}}}}}}\r\n";

    private static JsonElement Json(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }


}

/// <summary>Request helpers over a raw <see cref="LineClient"/> (which, unlike ManagerClient, can send bytes that are not UTF-8).</summary>
internal static class ManagerLines
{
    public static async Task<JsonElement> RequestAsync(this LineClient client, string id, string name, string body)
    {
        await client.SendAsync($"{{\"message_id\":\"{id}\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"{name}\":{body}}}}}}}");
        var line = await client.WaitForAsync(l => l.Contains($"\"message_response_id\":\"{id}\"", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}
