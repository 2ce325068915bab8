using System.Buffers;
using System.Text;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>Configured limits: line length, command rate, connection count, sync timeout, slow readers.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task Oversized_line_gets_an_error_then_the_connection_is_closed_and_others_are_served()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:MaxLineBytes"] = "1024" });
        await using var bystander = await host.ConnectAsync();
        await using var c = await host.ConnectAsync();
        await c.SendRawAsync(Encoding.UTF8.GetBytes("{\"command\":\"" + new string('A', 3000)));
        var reply = Wire.Parse(await c.ReadLineAsync());
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains("longer than 1024 bytes", reply.GetProperty("message").GetString());
        Assert.True(await c.IsClosedByServerAsync());
        (await bystander.CallAsync("SubscribeAll", null, host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task A_line_of_exactly_the_limit_is_accepted()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:MaxLineBytes"] = "1024" });
        await using var c = await host.ConnectAsync();
        var request = Wire.Request("SubscribeAll", new { pad = "" }, host.AdminToken, "edge");
        request = request.Replace("\"pad\":\"\"", "\"pad\":\"" + new string('p', 1024 - request.Length) + "\"");
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(request));
        await c.SendAsync(request);
        Wire.Parse(await c.ReadLineAsync()).AssertOk();
    }

    [Fact]
    public async Task Command_rate_over_the_limit_gets_429_too_frequent()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:CommandsPerSecond"] = "5" });
        await using var c = await host.ConnectAsync();
        var batch = string.Concat(Enumerable.Range(0, 20).Select(i => Wire.Request("SubscribeAll", null, host.AdminToken, $"r{i}") + "\r\n"));
        await c.SendRawAsync(Encoding.UTF8.GetBytes(batch));
        var replies = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 20; i++) replies.Add(Wire.Parse(await c.ReadLineAsync()));
        Assert.Contains(replies, r => r.Status() == 200);
        var limited = replies.Where(r => r.Status() == 429).ToList();
        Assert.NotEmpty(limited);
        limited[0].AssertError(429, "RET_TOO_FREQUENT");
        Assert.StartsWith("r", limited[0].GetProperty("extID").GetString());
    }

    [Fact]
    public async Task Connections_over_the_limit_are_refused_with_an_error()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:MaxConnections"] = "1" });
        await using var first = await host.ConnectAsync();
        (await first.CallAsync("SubscribeAll", null, host.AdminToken)).AssertOk();
        await using var second = await host.ConnectAsync();
        Wire.Parse(await second.ReadLineAsync()).AssertError(503, "RET_ERR_CONNECTION");
        Assert.True(await second.IsClosedByServerAsync());
        (await first.CallAsync("SubscribeAll", null, host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Sync_command_not_answered_in_time_gets_504_sync_timeout()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:SyncTimeoutMs"] = "0" });
        await using var c = await host.ConnectAsync();
        // The engine is held busy, so the trade cannot be answered at once (an idle engine sometimes answered before
        // the deadline was even armed, and the reply was OK).
        using var release = new ManualResetEventSlim();
        var busy = host.Runner.QueryAsync(_ => release.Wait(TimeSpan.FromSeconds(30)));
        var reply = await c.CallAsync("MngOpenTradeSync",
            new { login = host.DemoLogin, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, host.AdminToken);
        release.Set();
        await busy;
        reply.AssertError(504, "SYNC_TIMEOUT");
        // The trade itself still happened and is visible afterwards.
        var trades = await c.CallAsync("GetTrades", null, host.AdminToken);
        Assert.True(trades.Data().GetProperty("count").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_cut_off_and_does_not_slow_others()
    {
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:MaxPendingReplyBytes"] = "65536" });
        await using var reader = await host.ConnectAsync();
        (await reader.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, host.AdminToken)).AssertOk();

        var sleeper = await host.ConnectAsync();
        sleeper.Socket.ReceiveBufferSize = 4096;
        // Ask for big answers and never read them.
        var big = Wire.Request("GetSymbols", null, host.AdminToken);
        var burst = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(big + "\r\n", 400)));
        var sendTask = sleeper.SendRawAsync(burst);

        var pushes = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            await host.TickAsync("EURUSD", 1.1m + i * 0.00001m, 1.10002m + i * 0.00001m);
            var id = Wire.NextId();
            await reader.SendAsync(Wire.Request("GetSymbol", new { symbol = "EURUSD" }, host.AdminToken, id));
            (await reader.ReplyAsync(id, pushes)).AssertOk();
        }
        Assert.Contains(pushes, l => l.StartsWith("[\"t\",\"EURUSD\"", StringComparison.Ordinal));

        // The sleeper's unread replies exceed the limit: the server closes it.
        var closed = false;
        for (var i = 0; i < 400 && !closed; i++) // up to 20 s: a loaded CI machine may take a while
        {
            await Task.Delay(50);
            closed = host.Services.GetService(typeof(Sessions.SessionRegistry)) is Sessions.SessionRegistry r && r.Count == 1;
        }
        Assert.True(closed, "the never-reading connection should have been closed");
        await Task.WhenAny(sendTask, Task.Delay(1000));
        await sleeper.DisposeAsync();
    }

    [Fact]
    public async Task Quotes_for_a_slow_reader_are_conflated_latest_wins()
    {
        var queue = new Dealwire.Gateway.Outbound.OutboundQueue(1 << 20, 16);
        queue.EnqueueQuote("EURUSD", "1"u8.ToArray());
        queue.EnqueueQuote("GBPUSD", "2"u8.ToArray());
        queue.EnqueueQuote("EURUSD", "3"u8.ToArray());
        Assert.Equal(1, queue.QuotesConflated);
        var pipe = new System.IO.Pipelines.Pipe();
        queue.Complete();
        await queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        Assert.Equal("32", Encoding.ASCII.GetString(read.Buffer.ToArray()));
    }

    [Fact]
    public void Replies_over_the_pending_limit_are_refused_not_dropped_silently()
    {
        var queue = new Dealwire.Gateway.Outbound.OutboundQueue(10, 16);
        Assert.True(queue.EnqueueFrame(new byte[6]));
        Assert.False(queue.EnqueueFrame(new byte[6]));
    }
}
