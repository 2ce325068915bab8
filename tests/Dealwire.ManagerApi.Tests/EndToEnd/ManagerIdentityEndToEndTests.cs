using System.Globalization;
using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// Issue #12, "Manager API identity and errors", against the real dealwire process at fixed prices: ids the
/// server does not have, the closing order's own id (also after a crash and journal replay), and
/// <c>last_update_date</c> on balance changes — in both layouts.
/// </summary>
[Collection(ManagerProcessCollection.Name)]
public sealed class ManagerIdentityEndToEndTests(ManagerProcessFixture fixture)
{
    private const long Hedging = ManagerProcessFixture.HedgingLogin;

    private static string Str(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string NewerIds(long login) => $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}";

    [Fact]
    public async Task Seed_layout_unknown_string_ids_are_account_not_found_for_update_balance_and_empty_lists_for_queries()
    {
        await using var seed = await fixture.ConnectAsync();
        await seed.AuthAsync(fixture.AdminKey);
        var before = await SeedBalanceAsync(seed, Hedging);

        // The seed's ids are strings and account_not_found is its error for them (was convert_id_error).
        var unknown = await seed.CallAsync("update_balance",
            "{\"trader_id\":\"no-such-account\",\"account_id\":\"no-such-account\",\"delta\":5,\"process_id\":\"id-seed-1\",\"reason\":\"deposit\",\"allow_negative_balance\":false}");
        Assert.Equal("account_not_found", unknown.At("success.update_balance.err").GetString());
        var unknownAccount = await seed.CallAsync("update_balance",
            $"{{\"trader_id\":\"{Hedging}\",\"account_id\":\"no-such-account\",\"delta\":5,\"process_id\":\"id-seed-2\",\"reason\":\"deposit\",\"allow_negative_balance\":false}}");
        Assert.Equal("account_not_found", unknownAccount.At("success.update_balance.err").GetString());
        var unknownTrader = await seed.CallAsync("update_balance",
            $"{{\"trader_id\":\"no-such-trader\",\"account_id\":\"{Hedging}\",\"delta\":5,\"process_id\":\"id-seed-3\",\"reason\":\"deposit\",\"allow_negative_balance\":false}}");
        Assert.Equal("account_not_found", unknownTrader.At("success.update_balance.err").GetString());
        Assert.Equal(before, await SeedBalanceAsync(seed, Hedging));

        // Filters naming nothing select nothing.
        Assert.Equal(0, (await seed.CallAsync("get_accounts", "{\"account_id\":\"no-such-account\"}")).At("success.accounts.response.data").GetArrayLength());
        Assert.Equal(0, (await seed.CallAsync("get_accounts", "{\"trader_id\":\"no-such-trader\"}")).At("success.accounts.response.data").GetArrayLength());
        Assert.Equal(0, (await seed.CallAsync("get_positions", "{\"account_id\":\"no-such-account\"}")).At("success.positions.response.data").GetArrayLength());
        Assert.Equal(0, (await seed.CallAsync("get_history_positions", "{\"trader_id\":\"no-such-trader\"}")).At("success.closed_position.response.data").GetArrayLength());
        Assert.Equal(0, (await seed.CallAsync("get_orders", "{\"account_id\":\"no-such-account\",\"order_status\":\"executed\"}")).At("success.orders.response.data").GetArrayLength());
        Assert.Equal(0, (await seed.CallAsync("get_trades", "{\"account_id\":\"no-such-account\"}")).At("success.trades.response.data").GetArrayLength());
        // The known id still answers, so the empty lists above are the unknown id's doing.
        Assert.Equal(1, (await seed.CallAsync("get_accounts", $"{{\"account_id\":\"{Hedging}\"}}")).At("success.accounts.response.data").GetArrayLength());
    }

    [Fact]
    public async Task Newer_layout_random_uuids_are_account_not_found_for_update_balance_and_empty_lists_for_queries()
    {
        await using var newer = await fixture.ConnectAsync();
        await newer.AuthAsync(fixture.AdminKey, "uuid_only");
        var random = $"{{\"uuid\":\"{Guid.NewGuid()}\"}}";
        var before = await NewerBalanceAsync(newer, Hedging);

        var unknown = await newer.CallAsync("update_balance",
            $"{{\"trader_id\":{random},\"account_id\":{random},\"delta\":5,\"process_id\":\"id-newer-1\",\"reason\":\"deposit\",\"allow_negative_balance\":false,\"same_response_process_id\":false}}");
        Assert.Equal("account_not_found", unknown.At("update_balance_response.error").GetString());
        var unknownAccount = await newer.CallAsync("update_balance",
            $"{{\"trader_id\":{{\"id\":{Hedging}}},\"account_id\":{random},\"delta\":5,\"process_id\":\"id-newer-2\",\"reason\":\"deposit\",\"allow_negative_balance\":false,\"same_response_process_id\":false}}");
        Assert.Equal("account_not_found", unknownAccount.At("update_balance_response.error").GetString());
        Assert.Equal(before, await NewerBalanceAsync(newer, Hedging));

        Assert.Equal(0, (await newer.CallAsync("get_accounts", $"{{\"account_id\":{random}}}")).At("get_accounts_response.success").GetArrayLength());
        Assert.Equal(0, (await newer.CallAsync("get_positions", $"{{\"position_id\":{random}}}")).At("get_positions_response.success").GetArrayLength());
        Assert.Equal(0, (await newer.CallAsync("get_orders", $"{{\"order_id\":{random},\"order_status\":\"executed\"}}")).At("get_orders_response.success").GetArrayLength());
        Assert.Equal(0, (await newer.CallAsync("get_trades", $"{{\"position_id\":{random}}}")).At("get_trades_response.success").GetArrayLength());
        Assert.Equal(0, (await newer.CallAsync("get_history_positions", $"{{\"trader_id\":{random}}}")).At("get_history_positions_response.success").GetArrayLength());
        Assert.Equal(0, (await newer.CallAsync("get_balance_operations", $"{{\"operation_id\":\"{Guid.NewGuid()}\"}}")).At("get_balance_operations_response.success").GetArrayLength());
        Assert.Equal(0, (await newer.CallAsync("get_balance_operations", "{\"operation_id\":\"no-such-operation\"}")).At("get_balance_operations_response.success").GetArrayLength());
        // A command on an unknown position of a known account is that command's not-found error.
        var close = await newer.CallAsync("close_position", $"{{{NewerIds(Hedging)},\"position_id\":{random},\"process_id\":\"id-newer-3\"}}");
        Assert.Equal("position_not_found", close.At("close_position_response.error").GetString());
        Assert.Equal(1, (await newer.CallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{Hedging}}}}}")).At("get_accounts_response.success").GetArrayLength());
    }

    [Fact]
    [Trait("Category", "Slow")] // kill -9 and restart of the server
    public async Task Close_position_answers_a_closing_order_of_its_own_that_survives_a_crash_and_replay()
    {
        await using var newer = await fixture.ConnectAsync();
        await newer.AuthAsync(fixture.AdminKey, "num_id_preferred");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var opened = (await newer.CallAsync("place_order",
            $"{{{NewerIds(Hedging)},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.01,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"close-open-{tag}\"}}"))
            .At("place_order_response.success");
        var openingOrder = opened.At("id.num_id").GetInt64();
        var position = opened.At("position_id.num_id").GetInt64();

        var closing = (await newer.CallAsync("close_position",
            $"{{{NewerIds(Hedging)},\"position_id\":{{\"id\":{position}}},\"process_id\":\"close-{tag}\"}}")).At("close_position_response.success");
        Assert.True(closing.GetProperty("is_close").GetBoolean());
        var closingOrder = closing.At("id.num_id").GetInt64();
        Assert.NotEqual(openingOrder, closingOrder); // was the opening order's id
        Assert.NotEqual(position, closingOrder);
        Assert.Equal(position, closing.At("position_id.num_id").GetInt64());
        Assert.False(closing.GetProperty("is_buy").GetBoolean()); // a buy is closed by a sell

        // The closing order is an executed order of its own, and the closing fill names it.
        await AssertClosingOrderAsync(newer, closingOrder, openingOrder, position);

        // kill -9, then the journal is replayed: the closing order keeps its number.
        await fixture.Server.KillAsync();
        await fixture.Server.RestartAsync();
        await using var after = await fixture.ConnectAsync();
        await after.AuthAsync(fixture.AdminKey, "num_id_preferred");
        await AssertClosingOrderAsync(after, closingOrder, openingOrder, position);

        // Seed layout shows the same numbers as strings.
        await using var seed = await fixture.ConnectAsync();
        await seed.AuthAsync(fixture.AdminKey);
        var fills = (await seed.CallAsync("get_trades", $"{{\"position_id\":\"{position}\"}}")).At("success.trades.response.data").EnumerateArray().ToList();
        Assert.Equal([Str(openingOrder), Str(closingOrder)], fills.Select(f => f.GetProperty("order_id").GetString()));
    }

    [Fact]
    public async Task Last_update_date_moves_on_a_balance_change_in_the_update_balance_reply_and_get_accounts()
    {
        await using var seed = await fixture.ConnectAsync();
        await seed.AuthAsync(fixture.AdminKey);
        await using var newer = await fixture.ConnectAsync();
        await newer.AuthAsync(fixture.AdminKey, "num_id_preferred");
        await newer.RequestAsync("subscribe", "{\"topics\":[\"accounts\"]}");
        await newer.ReadAsync(); // the accounts snapshot

        // Seed layout: the reply's account and get_accounts carry the booking time, not the registration time.
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var seedReply = await seed.CallAsync("update_balance",
            $"{{\"trader_id\":\"{Hedging}\",\"account_id\":\"{Hedging}\",\"delta\":3,\"process_id\":\"lud-seed-{Guid.NewGuid():N}\",\"reason\":\"deposit\",\"allow_negative_balance\":false}}");
        var seedDate = seedReply.At("success.update_balance.ok.last_update_date").GetInt64();
        Assert.InRange(seedDate, sent, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var seedAccount = (await seed.CallAsync("get_accounts", $"{{\"account_id\":\"{Hedging}\"}}")).At("success.accounts.response.data")[0];
        Assert.Equal(seedDate, seedAccount.GetProperty("last_update_date").GetInt64());

        // Newer layout: reply, stream and get_accounts agree on the later booking.
        sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = new List<JsonElement>(); // the balance event may arrive before the reply
        var newerReply = await newer.RequestAsync("update_balance",
            $"{{{NewerIds(Hedging)},\"delta\":4,\"process_id\":\"lud-newer-{Guid.NewGuid():N}\",\"reason\":\"deposit\",\"allow_negative_balance\":false,\"same_response_process_id\":false}}", events);
        var newerAccount = ManagerClient.ServerMessage(newerReply).At("update_balance_response.success.account");
        var newerDate = newerAccount.GetProperty("last_update_date").GetInt64();
        Assert.InRange(newerDate, Math.Max(sent, seedDate), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var balance = newerAccount.GetProperty("balance").GetDecimal();
        bool IsThisBooking(JsonElement e) => ManagerClient.ServerMessage(e).TryGetProperty("accounts", out var a)
            && a.TryGetProperty("update", out var u) && u.TryGetProperty("updated", out var up)
            && up[0].GetProperty("balance").GetDecimal() == balance;
        var streamed = events.Any(IsThisBooking) ? events.First(IsThisBooking) : await newer.WaitForAsync(IsThisBooking);
        Assert.Equal(newerDate, ManagerClient.ServerMessage(streamed).At("accounts.update.updated")[0].GetProperty("last_update_date").GetInt64());
        var listed = (await newer.CallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{Hedging}}}}}")).At("get_accounts_response.success")[0];
        Assert.Equal(newerDate, listed.GetProperty("last_update_date").GetInt64());
    }

    private static async Task AssertClosingOrderAsync(ManagerClient c, long closingOrder, long openingOrder, long position)
    {
        var executed = (await c.CallAsync("get_orders", $"{{\"order_id\":{{\"id\":{closingOrder}}},\"order_status\":\"executed\"}}"))
            .At("get_orders_response.success");
        var order = Assert.Single(executed.EnumerateArray());
        Assert.True(order.GetProperty("is_close").GetBoolean());
        Assert.Equal(position, order.At("position_id.num_id").GetInt64());
        Assert.Equal("market", order.GetProperty("order_type").GetString());

        var fills = (await c.CallAsync("get_trades", $"{{\"position_id\":{{\"id\":{position}}}}}")).At("get_trades_response.success").EnumerateArray().ToList();
        Assert.Equal([openingOrder, closingOrder], fills.Select(f => f.At("order_id.num_id").GetInt64()));
        var byOrder = (await c.CallAsync("get_trades", $"{{\"order_id\":{{\"id\":{closingOrder}}}}}")).At("get_trades_response.success");
        Assert.Equal(closingOrder, Assert.Single(byOrder.EnumerateArray()).At("order_id.num_id").GetInt64());
    }

    private static async Task<decimal> SeedBalanceAsync(ManagerClient c, long login) =>
        (await c.CallAsync("get_accounts", $"{{\"account_id\":\"{login}\"}}")).At("success.accounts.response.data")[0].GetProperty("balance").GetDecimal();

    private static async Task<decimal> NewerBalanceAsync(ManagerClient c, long login) =>
        (await c.CallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{login}}}}}")).At("get_accounts_response.success")[0].GetProperty("balance").GetDecimal();
}
