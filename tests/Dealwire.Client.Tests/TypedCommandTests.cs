using System.Text.Json;
using Dealwire.Client.Tests.Infrastructure;

namespace Dealwire.Client.Tests;

/// <summary>What the typed methods put on the wire and how they read replies.</summary>
public sealed class TypedCommandTests
{
    private static async Task<(ScriptedServer Server, ServerApiClient Client)> StartAsync(Func<ReceivedRequest, string?>? responder = null)
    {
        var server = new ScriptedServer();
        if (responder is not null) server.Responder = responder;
        return (server, await ClientFactory.ConnectAsync(server.Endpoint));
    }

    [Theory]
    [InlineData("BalanceIn", "100.25")]
    [InlineData("BalanceOut", "-100.25")]
    [InlineData("CreditIn", "100.25")]
    [InlineData("CreditOut", "-100.25")]
    [InlineData("BalanceInSync", "100.25")]
    [InlineData("BalanceOutSync", "-100.25")]
    [InlineData("CreditInSync", "100.25")]
    [InlineData("CreditOutSync", "-100.25")]
    public async Task Finance_methods_take_a_positive_amount_and_send_withdrawals_negative(string command, string wireAmount)
    {
        var (server, client) = await StartAsync(r => ScriptedServer.Ok(r.ExtId, "{\"accepted\":true,\"order\":9,\"state\":10,\"login\":1001,\"cmd\":6,\"amount\":1}"));
        await using var _ = server;
        await using var __ = client;

        Task call = command switch
        {
            "BalanceIn" => client.BalanceInAsync(1001, 100.25m, "note"),
            "BalanceOut" => client.BalanceOutAsync(1001, 100.25m, "note"),
            "CreditIn" => client.CreditInAsync(1001, 100.25m, "note"),
            "CreditOut" => client.CreditOutAsync(1001, 100.25m, "note"),
            "BalanceInSync" => client.BalanceInSyncAsync(1001, 100.25m, "note"),
            "BalanceOutSync" => client.BalanceOutSyncAsync(1001, 100.25m, "note"),
            "CreditInSync" => client.CreditInSyncAsync(1001, 100.25m, "note"),
            _ => client.CreditOutSyncAsync(1001, 100.25m, "note"),
        };
        await call;

        var request = await server.NextRequestAsync(command);
        Assert.Equal($"{{\"login\":1001,\"amount\":{wireAmount},\"comment\":\"note\"}}", request.Data.GetRawText());
    }

    [Fact]
    public async Task Finance_methods_reject_non_positive_amounts_and_credit_without_comment_before_sending()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.BalanceOutAsync(1001, -5m));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.BalanceInAsync(1001, 0m));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreditOutAsync(1001, 5m, " "));
        Assert.Equal(0, server.Requests.Reader.Count);
    }

    [Fact]
    public async Task A_BalanceOut_ack_decodes_its_negative_amount()
    {
        var (server, client) = await StartAsync(r => ScriptedServer.Ok(r.ExtId, "{\"accepted\":true,\"order\":77,\"state\":10,\"login\":1001,\"cmd\":8,\"amount\":-50.5}"));
        await using var _ = server;
        await using var __ = client;

        var ack = await client.BalanceOutAsync(1001, 50.5m);

        Assert.Equal((true, 77L, 10, 1001L, TradeCommand.BalanceOut, -50.5m), (ack.Accepted, ack.Order, ack.State, ack.Login, ack.Command, ack.Amount));
    }

    [Fact]
    public async Task Subscribe_uses_the_misspelled_chanels_key_and_tracks_symbols_until_rejected()
    {
        var (server, client) = await StartAsync(r => r.Data.TryGetProperty("chanels", out var c) && c[0].GetString() == "BAD"
            ? ScriptedServer.Error(r.ExtId, 404, "RET_SYMBOL_NOT_FOUND", "no such symbol")
            : ScriptedServer.Ok(r.ExtId, "\"OK\""));
        await using var _ = server;
        await using var __ = client;

        await client.SubscribeAsync("EURUSD", "GBPUSD", "EURUSD");
        await Assert.ThrowsAsync<ServerApiException>(() => client.SubscribeAsync("BAD"));
        await client.UnsubscribeAsync("GBPUSD");
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync());

        Assert.Equal("{\"chanels\":[\"EURUSD\",\"GBPUSD\"]}", (await server.NextRequestAsync("Subscribe")).Data.GetRawText());
        Assert.Equal("{\"chanels\":[\"GBPUSD\"]}", (await server.NextRequestAsync("Unsubscribe")).Data.GetRawText());
        Assert.Equal(["EURUSD"], client.SubscribedSymbols);
        await client.UnsubscribeAllAsync();
        Assert.Empty(client.SubscribedSymbols);
    }

    [Fact]
    public async Task Table_results_map_columns_to_typed_records()
    {
        var (server, client) = await StartAsync(r => r.Command switch
        {
            "GetSymbols" => ScriptedServer.Ok(r.ExtId, "{\"structure\":[\"symbol\",\"digits\",\"contract_size\",\"bid\",\"ask\",\"sessions\"],\"rows\":[[\"EURUSD\",5,100000,1.1,1.1002,[]],[\"XAUUSD\",2,100,2650.5,2650.9,[]]],\"count\":2}"),
            "GetGroups" => ScriptedServer.Ok(r.ExtId, "{\"rows\":[{\"group\":\"demo\",\"currency\":\"USD\",\"enable\":1,\"default_leverage\":100,\"margin_stopout\":50,\"secgroups\":[]}],\"count\":1}"),
            "GetUserBalanceList" => ScriptedServer.Ok(r.ExtId, "{\"rows\":[{\"login\":1001,\"balance\":10.5,\"storage\":-1,\"level_type\":1}]}"),
            "GetAccountsByGroup" => ScriptedServer.Ok(r.ExtId, "{\"structure\":[\"login\",\"group\",\"balance\",\"enable\"],\"rows\":[[1001,\"demo\",5,0]]}"),
            _ => ScriptedServer.Error(r.ExtId, 400, "INVALID_DATA", "unexpected"),
        });
        await using var _ = server;
        await using var __ = client;

        var symbols = await client.GetSymbolsAsync();
        var groups = await client.GetGroupsAsync();
        var balances = await client.GetBalancesAsync([1001]);
        var accounts = await client.GetAccountsByGroupAsync("demo*");

        Assert.Equal([("EURUSD", 5, 100000m, 1.1m, 1.1002m), ("XAUUSD", 2, 100m, 2650.5m, 2650.9m)],
            symbols.Select(s => (s.Symbol, s.Digits, s.ContractSize, s.Bid, s.Ask)));
        Assert.Equal(JsonValueKind.Array, symbols[0].Extra!["sessions"].ValueKind);
        var group = Assert.Single(groups);
        Assert.Equal(("demo", "USD", true, 100, 50m), (group.Group, group.Currency, group.Enable, group.DefaultLeverage, group.MarginStopout));
        Assert.Equal((1001L, 10.5m, -1m, 1), (balances[0].Login, balances[0].Balance, balances[0].Swap, balances[0].LevelType));
        Assert.Equal((1001L, "demo", 5m, false), (accounts[0].Login, accounts[0].Group, accounts[0].Balance, accounts[0].Enable));
        Assert.Equal("{\"group_mask\":\"demo*\"}", (await server.NextRequestAsync("GetAccountsByGroup")).Data.GetRawText());
    }

    [Fact]
    public async Task Account_and_trade_requests_use_the_wire_names()
    {
        var (server, client) = await StartAsync(r => r.Command switch
        {
            "MngAddAccount" => ScriptedServer.Ok(r.ExtId, "{\"login\":1005,\"leverage\":100,\"currency\":\"USD\",\"brand\":\"x\"}"),
            "MngOpenTradeSync" => ScriptedServer.Ok(r.ExtId, "{\"order\":42,\"login\":1005,\"symbol\":\"EURUSD\",\"cmd\":0,\"volume\":10,\"state\":0,\"open_price\":1.1}"),
            _ => ScriptedServer.Ok(r.ExtId, "{\"accepted\":true,\"order\":42,\"state\":7,\"login\":1005}"),
        });
        await using var _ = server;
        await using var __ = client;

        var created = await client.CreateAccountAsync(new NewAccount { Group = "demo", Name = "A", Password = "pass123", Email = "a@b.c", ExternalId = "ext" });
        var trade = await client.OpenTradeSyncAsync(new OpenTradeRequest { Login = 1005, Command = TradeCommand.Buy, Volume = 10, Symbol = "EURUSD", StopLoss = 1.05m });
        await client.CloseTradeAsync(new CloseTradeRequest { Login = 1005, Order = 42, Volume = 5 });
        await client.UpdateTradeAsync(new TradeUpdateRequest { Order = 42, Login = 1005, Command = TradeCommand.Buy, TakeProfit = 1.2m });
        await client.CancelPendingTradeAsync(43);

        Assert.Equal((1005L, "USD", "x"), (created.Login, created.Currency, created.Extra!["brand"].GetString()));
        Assert.Equal((42L, TradeCommand.Buy, 1.1m), (trade.Order, trade.Command, trade.OpenPrice));
        Assert.Equal("{\"group\":\"demo\",\"name\":\"A\",\"password\":\"pass123\",\"email\":\"a@b.c\",\"leverage\":100,\"enable\":1,\"enable_read_only\":0,\"id\":\"ext\"}",
            (await server.NextRequestAsync("MngAddAccount")).Data.GetRawText());
        Assert.Equal("{\"login\":1005,\"cmd\":0,\"volume\":10,\"symbol\":\"EURUSD\",\"sl\":1.05,\"tp\":0}", (await server.NextRequestAsync("MngOpenTradeSync")).Data.GetRawText());
        Assert.Equal("{\"login\":1005,\"order\":42,\"volume\":5}", (await server.NextRequestAsync("MngCloseTrade")).Data.GetRawText());
        Assert.Equal("{\"order\":42,\"login\":1005,\"cmd\":0,\"tp\":1.2}", (await server.NextRequestAsync("MngUpdateTrade")).Data.GetRawText());
        Assert.Equal("{\"order\":43}", (await server.NextRequestAsync("MngCancelPendingTrade")).Data.GetRawText());
    }

    [Fact]
    public async Task A_typed_call_answered_with_a_non_object_fails_with_a_JsonException()
    {
        var (server, client) = await StartAsync(r => ScriptedServer.Ok(r.ExtId, "\"OK\""));
        await using var _ = server;
        await using var __ = client;

        await Assert.ThrowsAsync<JsonException>(() => client.GetAccountAsync(1));
    }
}
