using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests;

/// <summary>The seed (002) layout, field for field: names, nesting, JSON types, timestamp units.</summary>
public sealed class SeedLayoutTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private ManagerClient _client = null!;
    private long _login;

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync();
        _login = await _server.AccountAsync("demo", 1000m);
        _client = await _server.ConnectAsync();
        await _client.AuthAsync(_server.AdminKey);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Accounts_response_matches_the_seed_example()
    {
        var envelope = await _client.RequestAsync("get_accounts", $"{{\"account_id\":\"{_login}\"}}");
        envelope.HasKeys("message_id", "message_response_id", "message_type");
        var data = ManagerClient.ServerMessage(envelope).At("success.accounts.response.data");
        var a = Assert.Single(data.EnumerateArray());
        a.HasKeys("id", "trader_id", "currency", "balance", "equity", "margin", "free_margin", "margin_level", "leverage",
            "trading_group", "last_update_date", "metadata", "status", "hedge_mode");
        Assert.Equal(_login.ToString(System.Globalization.CultureInfo.InvariantCulture), a.GetProperty("id").GetString());
        Assert.Equal(a.GetProperty("id").GetString(), a.GetProperty("trader_id").GetString());
        Assert.Equal("USD", a.GetProperty("currency").GetString());
        Assert.Equal(1000m, a.GetProperty("balance").GetDecimal());
        Assert.Equal(1000m, a.GetProperty("equity").GetDecimal());
        Assert.Equal(0m, a.GetProperty("margin").GetDecimal());
        Assert.Equal(1000m, a.GetProperty("free_margin").GetDecimal());
        Assert.Equal(100, a.GetProperty("leverage").GetInt32());
        Assert.Equal("demo", a.GetProperty("trading_group").GetString());
        Assert.Equal(JsonValueKind.Object, a.GetProperty("metadata").ValueKind);
        Assert.Equal(0, a.GetProperty("status").GetInt32());
        Assert.Equal(0, a.GetProperty("hedge_mode").GetInt32());
        // Unix milliseconds: 13 digits.
        Assert.InRange(a.GetProperty("last_update_date").GetInt64(), 1_600_000_000_000, 9_999_999_999_999);
    }

    [Fact]
    public async Task Accounts_filters_by_trader_and_contradicting_filters_select_nothing()
    {
        var other = await _server.AccountAsync("demo", 5m);
        var all = await _client.CallAsync("get_accounts");
        Assert.Equal(2, all.At("success.accounts.response.data").GetArrayLength());
        var byTrader = await _client.CallAsync("get_accounts", $"{{\"trader_id\":\"{other}\"}}");
        Assert.Equal(other.ToString(System.Globalization.CultureInfo.InvariantCulture),
            byTrader.At("success.accounts.response.data")[0].GetProperty("id").GetString());
        var none = await _client.CallAsync("get_accounts", $"{{\"trader_id\":\"{other}\",\"account_id\":\"{_login}\"}}");
        Assert.Equal(0, none.At("success.accounts.response.data").GetArrayLength());
    }

    [Fact]
    public async Task Positions_and_history_match_the_seed_examples()
    {
        var opened = await _server.Ok(new OpenPosition(_login, "EURUSD", TradeCommand.Buy, 10) { StopLoss = 1.09m });
        var open = await _client.CallAsync("get_positions", $"{{\"account_id\":\"{_login}\",\"asset_pair\":\"eurusd\"}}");
        var p = Assert.Single(open.At("success.positions.response.data").EnumerateArray());
        p.HasKeys("id", "trader_id", "account_id", "asset_pair", "collateral", "lots_amount", "is_buy", "sl_price", "tp_price",
            "metadata", "order_id", "margin_bidask", "open_bidask", "profit_bidask", "open_price", "open_time", "swap", "net_pl",
            "gross_pl", "leverage", "is_abook");
        Assert.Equal(opened.Ticket.ToString(System.Globalization.CultureInfo.InvariantCulture), p.GetProperty("id").GetString());
        Assert.Equal("EURUSD", p.GetProperty("asset_pair").GetString());
        Assert.Equal("USD", p.GetProperty("collateral").GetString());
        Assert.Equal(0.1m, p.GetProperty("lots_amount").GetDecimal());
        Assert.True(p.GetProperty("is_buy").GetBoolean());
        Assert.Equal(1.09m, p.GetProperty("sl_price").GetDecimal());
        Assert.Equal(0m, p.GetProperty("tp_price").GetDecimal());
        p.GetProperty("margin_bidask").HasKeys("id", "bid", "ask");
        Assert.Equal("EURUSD", p.At("open_bidask.id").GetString());
        Assert.Equal(1.10002m, p.GetProperty("open_price").GetDecimal());
        Assert.Equal(opened.OpenTime, p.GetProperty("open_time").GetInt64());
        Assert.Equal(JsonValueKind.False, p.GetProperty("is_abook").ValueKind);

        await _server.Tick("EURUSD", 1.10100m, 1.10102m);
        await _server.Ok(new ClosePosition(_login, opened.Ticket));
        Assert.Equal(0, (await _client.CallAsync("get_positions")).At("success.positions.response.data").GetArrayLength());
        var history = await _client.CallAsync("get_history_positions", $"{{\"trader_id\":\"{_login}\"}}");
        var h = Assert.Single(history.At("success.closed_position.response.data").EnumerateArray());
        h.HasKeys("id", "trader_id", "account_id", "asset_pair", "collateral", "lots_amount", "is_buy", "sl_price", "tp_price",
            "metadata", "order_id", "margin_bidask", "open_bidask", "profit_bidask", "close_bidask", "open_price", "close_price",
            "open_time", "close_time", "swap", "net_pl", "gross_pl", "leverage", "is_abook", "close_reason");
        Assert.Equal(1.101m, h.GetProperty("close_price").GetDecimal());
        // (1.10100 − 1.10002) × 0.1 lot × 100 000 = 9.80 USD
        Assert.Equal(9.80m, h.GetProperty("gross_pl").GetDecimal());
        Assert.Equal("client_command", h.GetProperty("close_reason").GetString()); // closed by the system, not a manager
    }

    [Fact]
    public async Task Orders_trades_and_last_prices_match_the_seed_examples()
    {
        var order = await _server.Ok(new PlacePendingOrder(_login, "EURUSD", TradeCommand.BuyLimit, 10, 1.05m));
        var orders = await _client.CallAsync("get_orders");
        var o = Assert.Single(orders.At("success.orders.response.data").EnumerateArray());
        o.HasKeys("id", "trader_id", "account_id", "asset_pair", "collateral", "lots_amount", "is_buy", "price", "created",
            "order_type", "metadata", "status", "is_abook");
        Assert.Equal(order.Ticket.ToString(System.Globalization.CultureInfo.InvariantCulture), o.GetProperty("id").GetString());
        Assert.Equal(1.05m, o.GetProperty("price").GetDecimal());
        Assert.Equal("limit", o.GetProperty("order_type").GetString());
        Assert.Equal("active", o.GetProperty("status").GetString());
        Assert.Equal(order.OpenTime, o.GetProperty("created").GetInt64());

        var position = await _server.Ok(new OpenPosition(_login, "XAUUSD", TradeCommand.Sell, 5));
        var trades = await _client.CallAsync("get_trades", $"{{\"position_id\":\"{position.Ticket}\"}}");
        var t = Assert.Single(trades.At("success.trades.response.data").EnumerateArray());
        t.HasKeys("id", "order_id", "position_id", "trader_id", "account_id", "asset_pair", "collateral", "lots", "price",
            "is_buy", "is_abook", "execution_date");
        Assert.Equal((position.Ticket * 2).ToString(System.Globalization.CultureInfo.InvariantCulture), t.GetProperty("id").GetString());
        Assert.Equal(0.05m, t.GetProperty("lots").GetDecimal());
        Assert.Equal(2000.00m, t.GetProperty("price").GetDecimal());
        Assert.False(t.GetProperty("is_buy").GetBoolean());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", t.GetProperty("execution_date").GetString()!);

        var prices = await _client.CallAsync("get_last_prices");
        var list = prices.At("success.last_prices.response.data").EnumerateArray().ToList();
        Assert.Equal(["EURUSD", "XAUUSD"], list.Select(x => x.GetProperty("id").GetString()));
        list[0].HasKeys("id", "bid", "ask");
        Assert.Equal(1.10000m, list[0].GetProperty("bid").GetDecimal());
        var one = await _client.CallAsync("get_last_prices", "{\"asset_pair\":\"XAUUSD\"}");
        Assert.Equal(2000.50m, one.At("success.last_prices.response.data")[0].GetProperty("ask").GetDecimal());
    }

    [Fact]
    public async Task Seed_ids_that_are_not_dealwire_numbers_select_nothing_and_objects_are_format_errors()
    {
        // Seed ids are strings: one Dealwire does not have names no account (was convert_id_error, issue #12).
        Assert.Equal(0, (await _client.CallAsync("get_accounts", "{\"account_id\":\"abc\"}")).At("success.accounts.response.data").GetArrayLength());
        Assert.Equal(0, (await _client.CallAsync("get_positions", "{\"trader_id\":\"-5\"}")).At("success.positions.response.data").GetArrayLength());
        Assert.Equal("invalid_message_format", (await _client.CallAsync("get_orders", "{\"account_id\":{\"uuid\":\"x\"}}")).GetProperty("error").GetString());
        Assert.Equal("invalid_message_format", (await _client.CallAsync("get_orders", "{\"order_status\":\"lost\"}")).GetProperty("error").GetString());
        Assert.Equal("invalid_message_format", (await _client.CallAsync("get_last_prices", "{\"asset_pair\":7}")).GetProperty("error").GetString());
        Assert.Equal("invalid_message_format", (await _client.CallAsync("get_accounts", "[]")).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_manager_sees_only_the_accounts_of_its_mask()
    {
        var real = await _server.AccountAsync("real-eur", 10m);
        await using var demoDesk = await _server.ConnectAsync();
        await demoDesk.AuthAsync(_server.DemoKey);
        var accounts = (await demoDesk.CallAsync("get_accounts")).At("success.accounts.response.data");
        Assert.Equal([_login.ToString(System.Globalization.CultureInfo.InvariantCulture)], accounts.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        var hidden = await demoDesk.CallAsync("get_accounts", $"{{\"account_id\":\"{real}\"}}");
        Assert.Equal(0, hidden.At("success.accounts.response.data").GetArrayLength());
        var deposit = await demoDesk.CallAsync("update_balance",
            $"{{\"trader_id\":\"{real}\",\"account_id\":\"{real}\",\"delta\":5,\"process_id\":\"p-hidden\",\"reason\":\"deposit\",\"allow_negative_balance\":false}}");
        Assert.Equal("account_not_found", deposit.At("success.update_balance.err").GetString());
        var balance = await _server.Runner.QueryAsync(r => r.GetMargin(real)!.Balance);
        Assert.Equal(10m, balance);
    }
}
