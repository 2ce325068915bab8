using System.Text.Json;
using Dealwire.Client.Tests.Infrastructure;

namespace Dealwire.Client.Tests.EndToEnd;

/// <summary>The client against the real <c>dealwire</c> process, with the fault proxy in between.</summary>
public sealed class RealServerTests(RealServer server, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RealServer>
{
    [Fact]
    public async Task Typed_commands_round_trip_against_the_real_server()
    {
        await using var client = await ServerApiClient.ConnectAsync(server.Options(server.Endpoint, o => o.AutoSubscribe = ["EURUSD"]));
        using var quotes = client.Quotes.ForSymbol("EURUSD");
        using var trades = client.TradeEvents.ReadAllAsync();

        var quote = await quotes.Reader.NextAsync(TimeSpan.FromSeconds(20));
        Assert.True(quote.Bid > 0 && quote.Ask >= quote.Bid);

        var symbols = await client.GetSymbolsAsync();
        Assert.Contains(symbols, s => s.Symbol == "EURUSD" && s.Digits > 0 && s.ContractSize > 0);
        Assert.Equal("EURUSD", (await client.GetSymbolAsync("EURUSD")).Symbol);
        Assert.Contains(await client.GetGroupsAsync(), g => g.Group == "demo");

        var created = await client.CreateAccountAsync(new NewAccount { Group = "demo", Name = "SDK Test", Password = "pass123", Email = "sdk@example.com" });
        Assert.True(created.Login > 0);
        var deposit = await client.BalanceInSyncAsync(created.Login, 1000.50m, "SDK deposit");
        Assert.Equal(1000.50m, deposit.Profit);
        var withdrawal = await client.BalanceOutAsync(created.Login, 0.50m);
        Assert.Equal(created.Login, withdrawal.Login);
        await Eventually.TrueAsync(() => client.GetAccountAsync(created.Login).Result.Balance == 1000m, "the withdrawal was booked");

        var account = await client.GetAccountAsync(created.Login);
        Assert.Equal(("SDK Test", "demo", 1000m), (account.Name, account.Group, account.Balance));
        Assert.Contains(await client.GetAccountsByGroupAsync("demo"), a => a.Login == created.Login);
        Assert.Equal(1000m, Assert.Single(await client.GetBalancesAsync([created.Login])).Balance);

        var position = await client.OpenTradeSyncAsync(new OpenTradeRequest { Login = created.Login, Command = TradeCommand.Buy, Volume = 10, Symbol = "EURUSD" });
        Assert.Equal((created.Login, "EURUSD", 10), (position.Login, position.Symbol, position.Volume));
        Assert.Contains(await client.GetTradesByGroupAsync("demo"), t => t.Order == position.Order);
        var closed = await client.CloseTradeSyncAsync(new CloseTradeRequest { Login = created.Login, Order = position.Order });
        Assert.Equal(position.Order, closed.Order);
        await Eventually.TrueAsync(() => { while (trades.Reader.TryRead(out var e)) if (e.Trade.Order == position.Order) return true; return false; },
            "the trade:event of the position arrived");

        var error = await Assert.ThrowsAsync<ServerApiException>(() => client.GetAccountAsync(999_999_999));
        Assert.Equal(404, error.Status);
        Assert.StartsWith("RET_", error.Error, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ServerApiException>(() => client.BalanceOutAsync(created.Login, 1_000_000m));
    }

    [Fact]
    public async Task A_connection_dropped_mid_request_fails_the_request_and_the_next_one_succeeds()
    {
        await using var proxy = new FaultProxy(server.Process.ServerApiPort);
        await using var client = await ServerApiClient.ConnectAsync(server.Options(proxy.Endpoint));
        await proxy.WaitForConnectionsAsync(1);

        proxy.Pause();
        var call = client.GetSymbolsAsync();
        await Eventually.TrueAsync(() => client.PendingRequests == 1, "the request is on the wire");
        await Task.Delay(100);
        proxy.DropAll();
        proxy.Resume();

        await Assert.ThrowsAsync<ConnectionLostException>(() => call.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.NotEmpty(await client.GetSymbolsAsync());
    }

    [Fact]
    public async Task A_request_sent_while_disconnected_is_delivered_after_reconnect_exactly_once()
    {
        await using var proxy = new FaultProxy(server.Process.ServerApiPort);
        await using var client = await ServerApiClient.ConnectAsync(server.Options(proxy.Endpoint, o => o.AutoSubscribe = ["EURUSD"]));
        var reconnected = new TaskCompletionSource();
        client.Reconnected += (_, _) => reconnected.TrySetResult();
        await proxy.WaitForConnectionsAsync(1);

        proxy.RefuseConnections = true;
        proxy.DropAll();
        await Eventually.TrueAsync(() => client.State == ConnectionState.Reconnecting, "the client noticed the drop");
        var email = $"queued-{Guid.NewGuid():N}@example.com";
        var create = client.CreateAccountAsync(new NewAccount { Group = "demo", Name = "Queued", Password = "pass123", Email = email });
        // Sentinel: a reconnect attempt failed after the request was queued.
        await ConnectFailures.Next(client).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(create.IsCompleted);
        proxy.RefuseConnections = false;

        var created = await create.WaitAsync(TimeSpan.FromSeconds(20));
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(email, (await client.GetAccountAsync(created.Login)).Email);
        Assert.Single(proxy.ClientFrames, f => f.Contains(email, StringComparison.Ordinal));
        using var quotes = client.Quotes.ForSymbol("EURUSD");
        await quotes.Reader.NextAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_slow_fragmenting_link_delays_replies_but_never_mixes_them_up()
    {
        await using var proxy = new FaultProxy(server.Process.ServerApiPort) { Delay = TimeSpan.FromMilliseconds(20) };
        await using var client = await ServerApiClient.ConnectAsync(server.Options(proxy.Endpoint));
        var symbols = (await client.GetSymbolsAsync()).Select(s => s.Symbol).ToArray();

        var replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var asked = symbols[i % symbols.Length];
            return (asked, (await client.GetSymbolAsync(asked)).Symbol);
        }));

        Assert.All(replies, r => Assert.Equal(r.asked, r.Symbol));
    }

    [Fact]
    public async Task Two_hundred_clients_reconnect_spread_out_and_no_reply_is_lost_duplicated_or_misdelivered()
    {
        const int Clients = 200;
        await using var proxy = new FaultProxy(server.Process.ServerApiPort);
        var options = server.Options(proxy.Endpoint, o =>
        {
            o.Reconnect = new ReconnectPolicy { MinDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(2) };
            o.AutoSubscribe = ["EURUSD"];
        });
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => ServerApiClient.ConnectAsync(options)));
        try
        {
            var reconnected = 0;
            foreach (var c in clients) c.Reconnected += (_, _) => Interlocked.Increment(ref reconnected);
            var symbols = (await clients[0].GetSymbolsAsync()).Select(s => s.Symbol).ToArray();
            await proxy.WaitForConnectionsAsync(Clients);

            proxy.RefuseConnections = true;
            proxy.DropAll();
            await Eventually.TrueAsync(() => clients.All(c => c.State == ConnectionState.Reconnecting), "every client noticed the drop");
            // Every client asks while disconnected: the calls queue and go out on the new connections.
            var calls = clients.Select((c, i) => (asked: symbols[i % symbols.Length], reply: c.GetSymbolAsync(symbols[i % symbols.Length]))).ToArray();
            // Sentinel: every client failed a reconnect attempt after its call was queued.
            await Task.WhenAll(clients.Select(ConnectFailures.Next)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(calls, c => Assert.False(c.reply.IsCompleted));
            var dropAt = DateTime.UtcNow;
            proxy.RefuseConnections = false;
            await Task.WhenAll(calls.Select(c => c.reply)).WaitAsync(TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => Volatile.Read(ref reconnected) == Clients, "every client reported Reconnected", TimeSpan.FromSeconds(30));

            Assert.All(calls, c => Assert.Equal(c.asked, c.reply.Result.Symbol));
            List<DateTime> reconnects;
            lock (proxy.AcceptTimes) reconnects = [.. proxy.AcceptTimes.Where(t => t >= dropAt)];
            Assert.Equal(Clients, reconnects.Count);
            // Full jitter: the 200 reconnects must not all land at once (an unjittered backoff puts them within a few ms).
            var spread = reconnects.Max() - reconnects.Min();
            output.WriteLine($"{Clients} clients: reconnects spread over {spread.TotalMilliseconds:0} ms, all replies within {(DateTime.UtcNow - dropAt).TotalMilliseconds:0} ms of the server coming back");
            Assert.True(spread >= TimeSpan.FromMilliseconds(50), $"reconnects spread over {spread.TotalMilliseconds} ms");
            AssertEveryRequestAnsweredOnceOnItsConnection(proxy);
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Each request frame has exactly one reply frame with its extID, on the same connection, and no reply is unasked.</summary>
    internal static void AssertEveryRequestAnsweredOnceOnItsConnection(FaultProxy proxy)
    {
        var frames = proxy.Frames;
        var requests = frames.Where(f => f.Direction == FrameDirection.ClientToServer)
            .Select(f => (f.Connection, ExtId: JsonDocument.Parse(f.Text).RootElement.GetProperty("extID").GetString()!)).ToList();
        var replies = frames.Where(f => f.Direction == FrameDirection.ServerToClient && f.Text.StartsWith("{\"extID\"", StringComparison.Ordinal))
            .Select(f => (f.Connection, ExtId: JsonDocument.Parse(f.Text).RootElement.GetProperty("extID").GetString()!)).ToList();
        Assert.Equal(requests.Count, requests.Distinct().Count());
        Assert.Equal(requests.Order(), replies.Order());
    }
}
