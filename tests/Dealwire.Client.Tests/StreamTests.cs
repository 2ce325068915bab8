using Dealwire.Client.Tests.Infrastructure;

namespace Dealwire.Client.Tests;

/// <summary>Push streams: filters, overflow policy, and handlers that throw.</summary>
public sealed class StreamTests
{
    private static string Trade(long order, long login, string symbol) =>
        $"{{\"event\":\"trade:event\",\"type\":0,\"data\":{{\"order\":{order},\"login\":{login},\"symbol\":\"{symbol}\"}}}}";

    [Fact]
    public async Task ForLogin_and_ForSymbol_keep_only_their_items()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        using var mine = client.TradeEvents.ForLogin(1001);
        using var gold = client.TradeEvents.ForSymbol("XAUUSD");
        var handled = new List<long>();
        using var handler = client.TradeEvents.OnLogin(1002, e => { lock (handled) handled.Add(e.Trade.Order); });

        await connection.SendAsync(Trade(1, 1001, "EURUSD"));
        await connection.SendAsync(Trade(2, 1002, "XAUUSD"));
        await connection.SendAsync(Trade(3, 1001, "XAUUSD"));

        Assert.Equal(1, (await mine.Reader.NextAsync()).Trade.Order);
        Assert.Equal(3, (await mine.Reader.NextAsync()).Trade.Order);
        Assert.Equal(2, (await gold.Reader.NextAsync()).Trade.Order);
        Assert.Equal(3, (await gold.Reader.NextAsync()).Trade.Order);
        await Eventually.TrueAsync(() => { lock (handled) return handled.SequenceEqual([2L]); }, "only login 1002 reached the handler");
    }

    [Fact]
    public async Task A_lossless_stream_reader_that_falls_behind_ends_with_StreamOverflowException()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        var slow = client.TradeEvents.ReadAllAsync(null, capacity: 2);
        using var fast = client.TradeEvents.ReadAllAsync();

        for (var i = 1; i <= 3; i++) await connection.SendAsync(Trade(i, 1001, "EURUSD"));
        for (var i = 1; i <= 3; i++) await fast.Reader.NextAsync();

        var received = new List<long>();
        var error = await Assert.ThrowsAsync<StreamOverflowException>(async () => { await foreach (var e in slow) received.Add(e.Trade.Order); });
        Assert.Equal([1L, 2L], received);
        Assert.Contains("trade:event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quote_reader_that_falls_behind_keeps_the_newest_ticks()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        using var quotes = client.Quotes.ReadAllAsync(null, capacity: 2);
        using var all = client.Quotes.ReadAllAsync();

        for (var i = 1; i <= 5; i++) await connection.SendAsync($"[\"t\",\"EURUSD\",1.{i},1.{i}1,{i}]");
        for (var i = 1; i <= 5; i++) await all.Reader.NextAsync();

        Assert.Equal(4, (await quotes.Reader.NextAsync()).Time);
        Assert.Equal(5, (await quotes.Reader.NextAsync()).Time);
    }

    [Fact]
    public async Task A_throwing_handler_is_reported_and_other_handlers_and_streams_still_run()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var errors = new List<ClientErrorEventArgs>();
        client.Error += (_, e) => { lock (errors) errors.Add(e); };
        var seen = 0;
        client.Quotes.Received += (_, _) => throw new InvalidOperationException("boom");
        client.Quotes.Received += (_, _) => Interlocked.Increment(ref seen);
        using var quotes = client.Quotes.ReadAllAsync();
        var connection = await server.NextConnectionAsync();

        await connection.SendAsync("[\"t\",\"EURUSD\",1.1,1.2,1]");

        await quotes.Reader.NextAsync();
        Assert.Equal(1, Volatile.Read(ref seen));
        lock (errors) Assert.Contains(errors, e => e.Kind == ClientErrorKind.HandlerFailed && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Disposing_a_subscription_stops_it_and_a_disposed_handler_is_not_called()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        var calls = 0;
        var handle = client.Quotes.OnSymbol("EURUSD", _ => Interlocked.Increment(ref calls));
        var subscription = client.Quotes.ForSymbol("EURUSD");
        using var probe = client.Quotes.ReadAllAsync();
        handle.Dispose();
        subscription.Dispose();

        await connection.SendAsync("[\"t\",\"EURUSD\",1.1,1.2,1]");
        await probe.Reader.NextAsync();

        Assert.Equal(0, calls);
        Assert.False(await subscription.Reader.WaitToReadAsync());
    }
}
