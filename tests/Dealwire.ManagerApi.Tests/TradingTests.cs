using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Tests;

/// <summary>The newer layout's trading commands and model shapes.</summary>
public sealed class TradingTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private ManagerClient _client = null!;
    private long _login;

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync();
        _login = await _server.AccountAsync("demo", 10_000m);
        _client = await _server.ConnectAsync();
        await _client.AuthAsync(_server.AdminKey, "uuid_only");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private string Ids => string.Create(CultureInfo.InvariantCulture, $"\"trader_id\":{{\"id\":{_login}}},\"account_id\":{{\"id\":{_login}}}");

    private static string Id(EntityKind kind, long n) => $"{{\"uuid\":\"{ManagerIds.ToUuid(kind, n)}\"}}";

    private Task<JsonElement> PlaceAsync(string extra, string processId) =>
        _client.CallAsync("place_order", $"{{{Ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.1,\"is_buy\":true,{extra},\"process_id\":\"{processId}\"}}");

    [Fact]
    public async Task A_market_order_opens_a_position_once_per_process_id()
    {
        var reply = await PlaceAsync("\"order_type\":\"market\",\"tp_price\":1.2,\"metadata\":{\"desk\":\"a\"}", "mkt-1");
        var order = reply.At("place_order_response.success");
        order.HasKeys("id", "trader_id", "account_id", "asset_pair", "collateral", "lots_amount", "is_buy", "sl_price", "tp_price",
            "metadata", "order_type", "create_date", "update_date", "desired_price", "order_status", "position_id", "is_close");
        order.GetProperty("id").HasKeys("uuid", "num_id");
        Assert.Equal(JsonValueKind.Null, order.At("id.num_id").ValueKind);
        Assert.Equal("executed", order.GetProperty("order_status").GetString());
        Assert.Equal("market", order.GetProperty("order_type").GetString());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("sl_price").ValueKind);
        Assert.Equal(1.2m, order.GetProperty("tp_price").GetDecimal());
        Assert.Equal("a", order.At("metadata.desk").GetString());
        Assert.False(order.GetProperty("is_close").GetBoolean());

        var again = await PlaceAsync("\"order_type\":\"market\",\"tp_price\":1.2,\"metadata\":{\"desk\":\"a\"}", "mkt-1");
        Assert.Equal(order.At("id.uuid").GetString(), again.At("place_order_response.success.id.uuid").GetString());
        // The same process_id for a different order is refused, not answered with the first order.
        var different = await PlaceAsync("\"order_type\":\"market\"", "mkt-1");
        Assert.Equal("unexpected", different.At("place_order_response.error").GetString());
        var positions = await _client.CallAsync("get_positions");
        var p = Assert.Single(positions.At("get_positions_response.success").EnumerateArray());
        p.HasKeys("id", "trader_id", "account_id", "asset_pair", "collateral", "lots_amount", "is_buy", "sl_price", "tp_price",
            "metadata", "order_id", "pl", "margin_bidask", "open_bidask", "profit_bidask", "active_bidask", "commission", "swaps",
            "create_date", "update_date");
        p.GetProperty("active_bidask").HasKeys("id", "bid", "ask", "date", "base", "quote");
        Assert.Equal("EUR", p.At("active_bidask.base").GetString());
        Assert.Equal(order.At("position_id.uuid").GetString(), p.At("id.uuid").GetString());
    }

    [Fact]
    public async Task Limit_orders_are_placed_updated_and_cancelled()
    {
        var placed = (await PlaceAsync("\"order_type\":\"limit\",\"desire_price\":1.05", "lim-1")).At("place_order_response.success");
        Assert.Equal("pending", placed.GetProperty("order_status").GetString());
        Assert.Equal(1.05m, placed.GetProperty("desired_price").GetDecimal());
        var orderId = placed.GetProperty("id").GetRawText();

        var updated = await _client.CallAsync("update_order",
            $"{{{Ids},\"order_id\":{orderId},\"process_id\":\"u1\",\"desire_price\":1.04,\"lots_amount\":0.2,\"metadata\":{{\"mode\":\"merge\",\"metadata\":{{\"k\":\"v\"}}}}}}");
        var u = updated.At("update_order_response.success");
        Assert.Equal(1.04m, u.GetProperty("desired_price").GetDecimal());
        Assert.Equal(0.2m, u.GetProperty("lots_amount").GetDecimal());
        Assert.Equal("v", u.At("metadata.k").GetString());

        var listed = await _client.CallAsync("get_orders", $"{{\"order_id\":{orderId}}}");
        Assert.Single(listed.At("get_orders_response.success").EnumerateArray());

        var cancelled = await _client.CallAsync("cancel_order", $"{{{Ids},\"order_id\":{orderId}}}");
        Assert.Equal("canceled", cancelled.At("cancel_order_response.success.order_status").GetString());
        Assert.Equal(0, (await _client.CallAsync("get_orders")).At("get_orders_response.success").GetArrayLength());
        var history = await _client.CallAsync("get_orders", "{\"order_status\":\"canceled\"}");
        Assert.Single(history.At("get_orders_response.success").EnumerateArray());
        var again = await _client.CallAsync("cancel_order", $"{{{Ids},\"order_id\":{orderId}}}");
        Assert.Equal("order_not_found", again.At("cancel_order_response.error").GetString());
    }

    [Fact]
    public async Task Order_errors_have_their_codes()
    {
        Assert.Equal("invalid_desire_price", (await PlaceAsync("\"order_type\":\"limit\"", "e1")).At("place_order_response.error").GetString());
        Assert.Equal("invalid_desire_price", (await PlaceAsync("\"order_type\":\"limit\",\"desire_price\":1.5", "e2")).At("place_order_response.error").GetString());
        var lots = await _client.CallAsync("place_order", $"{{{Ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.001,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"e3\"}}");
        Assert.Equal("lots_too_low", lots.At("place_order_response.error").GetString());
        var zero = await _client.CallAsync("place_order", $"{{{Ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":-1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"e4\"}}");
        Assert.Equal("lots_too_low", zero.At("place_order_response.error").GetString());
        var symbol = await _client.CallAsync("place_order", $"{{{Ids},\"asset_pair\":\"NOPE\",\"lots_amount\":1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"e5\"}}");
        Assert.Equal("asset_pair_not_found", symbol.At("place_order_response.error").GetString());
        var money = await _client.CallAsync("place_order", $"{{{Ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":50,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"e6\"}}");
        Assert.Equal("not_enough_balance", money.At("place_order_response.error").GetString());
        var type = await PlaceAsync("\"order_type\":\"iceberg\"", "e7");
        Assert.Equal("invalid_message_format", type.At("place_order_response.error").GetString());
        var missing = await _client.CallAsync("update_order", $"{{{Ids},\"order_id\":{Id(EntityKind.Order, 424242)},\"process_id\":\"e8\"}}");
        Assert.Equal("order_not_found", missing.At("update_order_response.error").GetString());
        var stranger = await _client.CallAsync("place_order",
            $"{{\"trader_id\":{{\"id\":1}},\"account_id\":{{\"id\":{_login}}},\"asset_pair\":\"EURUSD\",\"lots_amount\":1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"e9\"}}");
        Assert.Equal("account_not_found", stranger.At("place_order_response.error").GetString());
        Assert.Equal(0, await _server.Runner.QueryAsync(r => r.GetPositions(_login).Count()));
    }

    [Fact]
    public async Task Retried_updates_answer_their_original_outcome_even_after_later_changes()
    {
        var order = (await PlaceAsync("\"order_type\":\"limit\",\"desire_price\":1.05", "lim-r")).At("place_order_response.success");
        var orderId = order.GetProperty("id").GetRawText();
        var update = $"{{{Ids},\"order_id\":{orderId},\"process_id\":\"uo-1\",\"desire_price\":1.04,\"metadata\":{{\"mode\":\"merge\",\"metadata\":{{\"k\":\"v\"}}}}}}";
        Assert.Equal("v", (await _client.CallAsync("update_order", update)).At("update_order_response.success.metadata.k").GetString());
        await _client.CallAsync("update_order", $"{{{Ids},\"order_id\":{orderId},\"process_id\":\"uo-2\",\"metadata\":{{\"mode\":\"merge\",\"metadata\":{{\"k\":\"w\"}}}}}}");
        var retried = await _client.CallAsync("update_order", update);
        Assert.Equal("v", retried.At("update_order_response.success.metadata.k").GetString()); // the first outcome, not a third change
        Assert.True(ManagerIds.TryFromUuid(EntityKind.Order, Guid.Parse(order.At("id.uuid").GetString()!), out var ticket));
        Assert.Equal("w", Metadata.Of((await _server.Runner.QueryAsync(r => r.GetTrade(ticket)))!)["k"]);

        var position = await _server.Ok(new OpenPosition(_login, "EURUSD", TradeCommand.Sell, 20));
        var pid = Id(EntityKind.Position, position.Ticket);
        var stops = $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up-r\",\"sl_price\":1.2,\"metadata\":{{\"mode\":\"merge\",\"metadata\":{{\"a\":\"1\"}}}}}}";
        await _client.CallAsync("update_position", stops);
        await _client.CallAsync("update_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up-r2\",\"sl_price\":1.3}}");
        var again = await _client.CallAsync("update_position", stops);
        Assert.True(again.At("update_position_response").TryGetProperty("success", out _), again.GetRawText());
        Assert.Equal(1.3m, (await _server.Runner.QueryAsync(r => r.GetTrade(position.Ticket)))!.StopLoss); // the retry changed nothing
        var closed = await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"c-r\"}}");
        var reclosed = await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"c-r\",\"force\":true}}");
        Assert.Equal("unexpected", reclosed.At("close_position_response.error").GetString()); // same key, different request (force)
        Assert.True(closed.At("close_position_response").TryGetProperty("success", out _));
    }

    [Fact]
    public async Task Positions_are_updated_with_metadata_modes_and_closed_by_the_manager()
    {
        var position = await _server.Ok(new OpenPosition(_login, "EURUSD", TradeCommand.Sell, 20));
        var pid = Id(EntityKind.Position, position.Ticket);
        var merged = await _client.CallAsync("update_position",
            $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up1\",\"sl_price\":1.2,\"metadata\":{{\"mode\":\"merge\",\"metadata\":{{\"a\":\"1\",\"b\":\"2\"}}}}}}");
        var m = merged.At("update_position_response.success");
        Assert.Equal(1.2m, m.GetProperty("sl_price").GetDecimal());
        Assert.Equal(JsonValueKind.Null, m.GetProperty("tp_price").ValueKind);
        Assert.Equal(2, m.GetProperty("metadata").Keys().Length);
        var merged2 = await _client.CallAsync("update_position",
            $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up2\",\"metadata\":{{\"mode\":\"merge\",\"metadata\":{{\"b\":\"3\",\"c\":null}}}}}}");
        Assert.Equal("3", merged2.At("update_position_response.success.metadata.b").GetString());
        Assert.Equal("1", merged2.At("update_position_response.success.metadata.a").GetString());
        var replaced = await _client.CallAsync("update_position",
            $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up3\",\"metadata\":{{\"mode\":\"update\",\"metadata\":{{\"z\":\"9\"}}}}}}");
        replaced.At("update_position_response.success.metadata").HasKeys("z");
        Assert.Equal(1.2m, replaced.At("update_position_response.success.sl_price").GetDecimal());
        var badMode = await _client.CallAsync("update_position",
            $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up4\",\"metadata\":{{\"mode\":\"append\",\"metadata\":{{}}}}}}");
        Assert.Equal("invalid_message_format", badMode.At("update_position_response.error").GetString());
        var badSl = await _client.CallAsync("update_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"up5\",\"sl_price\":1.0}}");
        Assert.Equal("invalid_sl", badSl.At("update_position_response.error").GetString());

        var closed = await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"c1\"}}");
        var order = closed.At("close_position_response.success");
        Assert.True(order.GetProperty("is_close").GetBoolean());
        Assert.True(order.GetProperty("is_buy").GetBoolean()); // closing a sell buys
        Assert.Equal("executed", order.GetProperty("order_status").GetString());
        var repeat = await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"c1\"}}");
        Assert.Equal(order.At("id.uuid").GetString(), repeat.At("close_position_response.success.id.uuid").GetString());
        var gone = await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"c2\"}}");
        Assert.Equal("position_not_found", gone.At("close_position_response.error").GetString());

        var history = await _client.CallAsync("get_history_positions", "{}");
        var h = Assert.Single(history.At("get_history_positions_response.success").EnumerateArray());
        Assert.Equal("admin_command", h.GetProperty("close_reason").GetString());
        Assert.True(h.TryGetProperty("close_date", out _));
        var trades = await _client.CallAsync("get_trades", $"{{\"position_id\":{pid}}}");
        var fills = trades.At("get_trades_response.success").EnumerateArray().ToList();
        Assert.Equal(2, fills.Count);
        fills[0].HasKeys("id", "trader_id", "account_id", "asset_pair", "order_id", "position_id", "price", "pl", "fee",
            "lots_amount", "create_date", "create_process_id", "is_buy");
        Assert.False(fills[0].GetProperty("is_buy").GetBoolean());
        Assert.True(fills[1].GetProperty("is_buy").GetBoolean());
    }

    [Fact]
    public async Task Force_passes_the_disabled_account_gate_of_close_and_cancel_only()
    {
        var position = await _server.Ok(new OpenPosition(_login, "EURUSD", TradeCommand.Buy, 10));
        var order = await _server.Ok(new PlacePendingOrder(_login, "EURUSD", TradeCommand.BuyLimit, 10, 1.05m));
        var profile = await _server.Runner.QueryAsync(r => r.GetAccount(_login)!.Profile);
        await _server.Ok(new UpdateAccount(profile with { Enabled = false }));
        var pid = Id(EntityKind.Position, position.Ticket);
        var oid = Id(EntityKind.Order, order.Ticket);

        Assert.Equal("account_trading_disabled", (await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"f1\"}}")).At("close_position_response.error").GetString());
        Assert.Equal("account_trading_disabled", (await _client.CallAsync("cancel_order", $"{{{Ids},\"order_id\":{oid}}}")).At("cancel_order_response.error").GetString());
        Assert.Equal("account_trading_disabled", (await PlaceAsync("\"order_type\":\"market\"", "f2")).At("place_order_response.error").GetString());

        var closed = await _client.CallAsync("close_position", $"{{{Ids},\"position_id\":{pid},\"process_id\":\"f3\",\"force\":true}}");
        Assert.True(closed.At("close_position_response.success.is_close").GetBoolean());
        var cancelled = await _client.CallAsync("cancel_order", $"{{{Ids},\"order_id\":{oid},\"force\":true}}");
        Assert.Equal("canceled", cancelled.At("cancel_order_response.success.order_status").GetString());
    }

    [Fact]
    public async Task Num_id_preferred_fills_num_id_and_trading_settings_map_from_the_group_model()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey, "num_id_preferred");
        var accounts = await client.CallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{_login}}}}}");
        var a = Assert.Single(accounts.At("get_accounts_response.success").EnumerateArray());
        Assert.Equal(_login, a.At("id.num_id").GetInt64());
        Assert.Equal(_login, a.At("trader_id.num_id").GetInt64());
        Assert.NotEqual(a.At("id.uuid").GetString(), a.At("trader_id.uuid").GetString());
        var restarted = ManagerIds.ToUuid(EntityKind.Account, _login).ToString();
        Assert.Equal(restarted, a.At("id.uuid").GetString());
    }
}
