using System.Text.Json;
using System.Text.RegularExpressions;
using Dealwire.Client.Tests.Infrastructure;

namespace Dealwire.Client.Tests;

/// <summary>Framing, the request envelope, reply matching and pushed records (scaletrade-tcp §1, §2, §4, §6).</summary>
public sealed partial class ProtocolTests
{
    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex ExtIdPattern();

    [Fact]
    public async Task Request_envelope_is_one_line_with_command_data_extID_and_token_in_order()
    {
        await using var server = new ScriptedServer();
        await using var proxy = new FaultProxy(server.Port);
        await using var client = await ClientFactory.ConnectAsync(proxy.Endpoint);

        await client.CallAsync("AddUser", new { group = "demo", leverage = 100 });

        var frame = Assert.Single(proxy.ClientFrames);
        var extId = JsonDocument.Parse(frame).RootElement.GetProperty("extID").GetString()!;
        Assert.Matches(ExtIdPattern(), extId);
        Assert.Equal($"{{\"command\":\"AddUser\",\"data\":{{\"group\":\"demo\",\"leverage\":100}},\"extID\":\"{extId}\",\"__token\":\"test-token\"}}", frame);
    }

    [Fact]
    public async Task A_call_without_data_sends_an_empty_object()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);

        await client.CallAsync("GetGroups");

        var request = await server.NextRequestAsync();
        Assert.Equal("{}", request.Data.GetRawText());
    }

    [Fact]
    public async Task Replies_are_matched_by_extID_even_out_of_order()
    {
        await using var server = new ScriptedServer();
        var held = new List<ReceivedRequest>();
        server.Responder = r =>
        {
            lock (held) held.Add(r);
            return null;
        };
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);

        var first = client.CallAsync("Echo", new { n = 1 });
        var second = client.CallAsync("Echo", new { n = 2 });
        await Eventually.TrueAsync(() => { lock (held) return held.Count == 2; }, "both requests arrived");
        // Answer in reverse order, each echoing its own n.
        foreach (var r in Enumerable.Reverse(held))
        {
            await r.Connection.SendAsync(ScriptedServer.Ok(r.ExtId, $"{{\"n\":{r.Data.GetProperty("n").GetInt32()}}}"));
        }

        Assert.Equal(1, (await first).GetProperty("n").GetInt32());
        Assert.Equal(2, (await second).GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Many_concurrent_callers_each_get_their_own_reply()
    {
        await using var server = new ScriptedServer();
        server.Responder = r => ScriptedServer.Ok(r.ExtId, r.Data.GetRawText());
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);

        var calls = Enumerable.Range(0, 2000).Select(i => Task.Run(async () =>
            (i, (await client.CallAsync("Echo", new { i })).GetProperty("i").GetInt32()))).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(r.Item1, r.Item2));
        Assert.Equal(0, client.PendingRequests);
    }

    [Fact]
    public async Task An_error_frame_becomes_a_ServerApiException_with_status_code_and_message()
    {
        await using var server = new ScriptedServer();
        server.Responder = r => ScriptedServer.Error(r.ExtId, 409, "RET_USR_HAS_TRADES", "Account has open trades");
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);

        var error = await Assert.ThrowsAsync<ServerApiException>(() => client.DeleteAccountAsync(1001));

        Assert.Equal(409, error.Status);
        Assert.Equal("RET_USR_HAS_TRADES", error.Error);
        Assert.Equal("Account has open trades", error.ServerMessage);
        Assert.Equal("MngDeleteAccount", error.Command);
    }

    [Fact]
    public async Task A_non_2xx_status_without_an_error_field_still_fails()
    {
        await using var server = new ScriptedServer();
        server.Responder = r => $"{{\"extID\":\"{r.ExtId}\",\"status\":504}}";
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);

        var error = await Assert.ThrowsAsync<ServerApiException>(() => client.CallAsync("MngOpenTradeSync"));

        Assert.Equal(504, error.Status);
        Assert.Equal("HTTP_504", error.Error);
    }

    [Fact]
    public async Task Quote_ticks_split_into_single_bytes_and_batched_lines_are_all_decoded_exactly()
    {
        await using var server = new ScriptedServer();
        await using var proxy = new FaultProxy(server.Port) { Fragment = true };
        await using var client = await ClientFactory.ConnectAsync(proxy.Endpoint);
        var connection = await server.NextConnectionAsync();
        using var quotes = client.Quotes.ReadAllAsync();

        await connection.SendRawAsync("[\"t\",\"EURUSD\",1.08851,1.08870,1734312345]\r\n[\"t\",\"XAUUSD\",2650.1,2650.45,1734312346]\r\n"u8.ToArray());

        var first = await quotes.Reader.NextAsync();
        var second = await quotes.Reader.NextAsync();
        Assert.Equal(new Quote("EURUSD", 1.08851m, 1.08870m, 1734312345), first);
        Assert.Equal(new Quote("XAUUSD", 2650.1m, 2650.45m, 1734312346), second);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1734312345), first.Timestamp);
    }

    [Fact]
    public async Task A_quote_without_time_is_accepted_and_a_too_short_one_is_reported()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var errors = new List<ClientErrorEventArgs>();
        client.Error += (_, e) => { lock (errors) errors.Add(e); };
        var connection = await server.NextConnectionAsync();
        using var quotes = client.Quotes.ReadAllAsync();

        await connection.SendAsync("[\"t\",\"EURUSD\",1.1]");
        await connection.SendAsync("[\"t\",\"EURUSD\",1.1,1.2]");

        Assert.Equal(new Quote("EURUSD", 1.1m, 1.2m, 0), await quotes.Reader.NextAsync());
        await Eventually.TrueAsync(() => { lock (errors) return errors.Any(e => e.Kind == ClientErrorKind.UnknownMessage); }, "the short quote was reported");
    }

    [Fact]
    public async Task Notifications_of_nine_and_ten_elements_are_decoded_and_repeated_tokens_dropped()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        using var notifications = client.Notifications.ReadAllAsync();

        await connection.SendAsync("[\"n\",\"Margin call\",\"Level {level}\",\"tok-1\",0,20,1001,1734312345,200]");
        await connection.SendAsync("[\"n\",\"Margin call\",\"Level {level}\",\"tok-1\",0,20,1001,1734312345,200]");
        await connection.SendAsync("[\"n\",\"Order filled\",\"#{order}\",\"tok-2\",1,10,1002,1734312346,{\"order\":77},201]");

        var nine = await notifications.Reader.NextAsync();
        var ten = await notifications.Reader.NextAsync();
        Assert.Equal(("Margin call", "Level {level}", "tok-1", 0, NotificationLevel.Warning, 1001L, 1734312345L, 200),
            (nine.Message, nine.Description, nine.Token, nine.Status, nine.Level, nine.UserId, nine.CreateTime, nine.Code));
        Assert.Null(nine.Data);
        Assert.Equal("tok-2", ten.Token);
        Assert.Equal(77, ten.Data!.Value.GetProperty("order").GetInt32());
        Assert.Equal(201, ten.Code);
        Assert.False(notifications.Reader.TryRead(out _), "the repeated token tok-1 must be dropped");
    }

    [Fact]
    public async Task Event_objects_become_typed_events_and_event_wins_over_extID()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        using var trades = client.TradeEvents.ReadAllAsync();
        using var balances = client.BalanceEvents.ReadAllAsync();
        using var users = client.UserEvents.ReadAllAsync();
        using var symbols = client.SymbolEvents.ReadAllAsync();
        using var groups = client.GroupEvents.ReadAllAsync();

        await connection.SendAsync("{\"event\":\"trade:event\",\"extID\":\"ffffffffffff\",\"type\":6,\"data\":{\"order\":5001,\"login\":1001,\"symbol\":\"EURUSD\",\"cmd\":1,\"volume\":150,\"open_price\":1.0885,\"sl\":1.09,\"tp\":0,\"storage\":-1.25,\"profit\":12.5,\"state\":3,\"gw_uuid\":\"x\"}}");
        await connection.SendAsync("{\"event\":\"balance:event\",\"type\":1,\"data\":{\"login\":1001,\"balance\":1000.10,\"equity\":1012.6,\"margin_level\":845.2}}");
        await connection.SendAsync("{\"event\":\"user:event\",\"type\":0,\"data\":{\"login\":1002,\"name\":\"Ann\",\"group\":\"demo\",\"leverage\":200,\"enable\":1}}");
        await connection.SendAsync("{\"event\":\"symbol:event\",\"type\":1,\"data\":{\"symbol\":\"EURUSD\",\"spread\":2,\"swap_long\":-0.5}}");
        await connection.SendAsync("{\"event\":\"group:event\",\"type\":2,\"data\":{\"group\":\"demo\",\"default_leverage\":100}}");

        var trade = await trades.Reader.NextAsync();
        Assert.Equal(RecordChange.CloseTrade, trade.Type);
        Assert.Equal((5001L, 1001L, "EURUSD", TradeCommand.Sell, 150, 1.0885m, 1.09m, -1.25m, 12.5m, 3),
            (trade.Trade.Order, trade.Login, trade.Symbol, trade.Trade.Command, trade.Trade.Volume, trade.Trade.OpenPrice, trade.Trade.StopLoss, trade.Trade.Swap, trade.Trade.Profit, trade.Trade.State));
        Assert.Equal("x", trade.Trade.Extra!["gw_uuid"].GetString());
        var balance = await balances.Reader.NextAsync();
        Assert.Equal((1001L, 1000.10m, 1012.6m, 845.2m), (balance.Login, balance.Margin.Balance, balance.Margin.Equity, balance.Margin.MarginLevel));
        var user = await users.Reader.NextAsync();
        Assert.Equal((RecordChange.Add, 1002L, "Ann", "demo", 200, true), (user.Type, user.Login, user.Account.Name, user.Account.Group, user.Account.Leverage, user.Account.Enable));
        var symbol = await symbols.Reader.NextAsync();
        Assert.Equal(("EURUSD", 2, -0.5m), (symbol.Symbol, symbol.SymbolInfo.Spread, symbol.SymbolInfo.SwapLong));
        var group = await groups.Reader.NextAsync();
        Assert.Equal((RecordChange.Delete, "demo", 100), (group.Type, group.Group.Group, group.Group.DefaultLeverage));
    }

    [Fact]
    public async Task Reindex_records_raise_their_events()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var connection = await server.NextConnectionAsync();
        var symbols = new TaskCompletionSource<IReadOnlyList<SymbolIndexEntry>>();
        var groups = new TaskCompletionSource<IReadOnlyList<SymbolGroupIndexEntry>>();
        client.SymbolsReindexed += (_, e) => symbols.TrySetResult(e);
        client.SymbolGroupsReindexed += (_, e) => groups.TrySetResult(e);

        await connection.SendAsync("[\"sr\",[[\"EURUSD\",1,0],[\"XAUUSD\",4,1]]]");
        await connection.SendAsync("[\"sc\",[[1,0],[2,1]]]");

        Assert.Equal([new SymbolIndexEntry("EURUSD", 1, 0), new SymbolIndexEntry("XAUUSD", 4, 1)], await symbols.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([new SymbolGroupIndexEntry(1, 0), new SymbolGroupIndexEntry(2, 1)], await groups.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Bad_lines_are_reported_and_the_connection_keeps_working()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint);
        var errors = new List<ClientErrorEventArgs>();
        client.Error += (_, e) => { lock (errors) errors.Add(e); };
        var connection = await server.NextConnectionAsync();

        await connection.SendAsync("{not json");
        await connection.SendAsync("[\"zz\",1]");
        await connection.SendAsync("{\"hello\":1}");
        await connection.SendAsync("{\"event\":\"nope:event\",\"type\":0,\"data\":{}}");
        await connection.SendAsync("{\"event\":\"trade:event\",\"type\":0,\"data\":{\"order\":\"abc\"}}");
        await connection.SendAsync(ScriptedServer.Ok("000000000000", "{}"));
        await connection.SendAsync("");

        await Eventually.TrueAsync(() => { lock (errors) return errors.Count == 6; }, "six problems were reported");
        lock (errors)
        {
            Assert.Equal(
                [ClientErrorKind.MalformedMessage, ClientErrorKind.UnknownMessage, ClientErrorKind.UnknownMessage, ClientErrorKind.UnknownMessage,
                 ClientErrorKind.MalformedMessage, ClientErrorKind.UnmatchedResponse],
                errors.Select(e => e.Kind));
        }
        Assert.Equal(JsonValueKind.Object, (await client.CallAsync("Ping")).ValueKind);
    }

    [Fact]
    public async Task A_line_longer_than_MaxMessageBytes_closes_the_connection_and_the_client_reconnects()
    {
        await using var server = new ScriptedServer();
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint, o => o.MaxMessageBytes = 4096);
        var disconnected = new TaskCompletionSource<Exception>();
        client.Disconnected += (_, e) => disconnected.TrySetResult(e.Reason);
        var connection = await server.NextConnectionAsync();

        await connection.SendRawAsync(new byte[10_000].Select(_ => (byte)'x').ToArray());

        Assert.IsType<InvalidDataException>(await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await server.NextConnectionAsync();
    }

    [Fact]
    public async Task The_token_provider_is_asked_for_each_write_so_a_rotated_token_is_used()
    {
        await using var server = new ScriptedServer();
        var current = "token-1";
        await using var client = await ClientFactory.ConnectAsync(server.Endpoint, o => o.TokenProvider = _ => ValueTask.FromResult(current));

        await client.CallAsync("A");
        current = "token-2";
        await client.CallAsync("B");

        Assert.Equal("token-1", (await server.NextRequestAsync("A")).Token);
        Assert.Equal("token-2", (await server.NextRequestAsync("B")).Token);
    }
}
