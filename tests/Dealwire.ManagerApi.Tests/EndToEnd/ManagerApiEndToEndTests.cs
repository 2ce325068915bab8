using System.Globalization;
using System.Text.Json;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>The Manager API of the real dealwire process: keys from the CLI, both layouts, trading, balance, group masks.</summary>
[Collection(ManagerProcessCollection.Name)]
public sealed class ManagerApiEndToEndTests(ManagerProcessFixture fixture)
{
    private const long Hedging = ManagerProcessFixture.HedgingLogin;
    private const long Netting = ManagerProcessFixture.NettingLogin;

    private static string Str(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Topics(params string[] topics) => "{\"topics\":[" + string.Join(",", topics.Select(t => $"\"{t}\"")) + "]}";

    private static JsonElement Server(JsonElement e) => ManagerClient.ServerMessage(e);

    [Fact]
    public async Task Cli_keys_authenticate_in_both_layouts_and_anything_else_is_refused()
    {
        await using var before = await fixture.ConnectAsync();
        Assert.Equal("unauthorized", (await before.CallAsync("get_accounts")).GetProperty("error").GetString());
        Assert.Equal("auth_failed", (await before.AuthAsync("dwk_not-a-key")).GetProperty("error").GetString());

        await using var seed = await fixture.ConnectAsync();
        var seedAuth = await seed.AuthAsync(fixture.AdminKey);
        seedAuth.HasKeys("success");
        Assert.True(Guid.TryParse(seedAuth.At("success.auth_result.session_id").GetString(), out _));

        await using var newer = await fixture.ConnectAsync();
        var newerAuth = await newer.AuthAsync(fixture.DemoKey, "num_id_preferred");
        Assert.True(Guid.TryParse(newerAuth.At("auth_response.success.session_id").GetString(), out _));

        // Heartbeat before and after auth, both casings.
        await newer.SendRawAsync("{\"message_id\":\"hb1\",\"message_type\":\"ping\"}\r\n");
        var pong = await newer.ReadAsync();
        Assert.Equal("pong", pong.GetProperty("message_type").GetString());
        Assert.Equal("hb1", pong.GetProperty("message_response_id").GetString());
        await before.SendRawAsync("{\"message_id\":\"hb2\",\"message_type\":\"Ping\"}\r\n");
        Assert.Equal("Pong", (await before.ReadAsync()).GetProperty("message_type").GetString());
    }

    [Fact]
    public async Task Seed_layout_shows_the_embedded_default_accounts_and_the_replayed_prices()
    {
        await using var c = await fixture.ConnectAsync();
        await c.AuthAsync(fixture.AdminKey);
        var accounts = (await c.CallAsync("get_accounts")).At("success.accounts.response.data").EnumerateArray().ToList();
        var hedging = accounts.Single(a => a.GetProperty("id").GetString() == Str(Hedging));
        Assert.Equal("demo", hedging.GetProperty("trading_group").GetString());
        Assert.Equal("USD", hedging.GetProperty("currency").GetString());
        Assert.Contains(accounts, a => a.GetProperty("id").GetString() == Str(Netting) && a.GetProperty("trading_group").GetString() == "demo-netting");

        var prices = (await c.CallAsync("get_last_prices")).At("success.last_prices.response.data").EnumerateArray().ToList();
        Assert.Equal(6, prices.Count);
        var eurusd = prices.Single(p => p.GetProperty("id").GetString() == "EURUSD");
        Assert.Equal(1.10000m, eurusd.GetProperty("bid").GetDecimal());
        Assert.Equal(1.10010m, eurusd.GetProperty("ask").GetDecimal());

        var time = (await c.CallAsync("get_server_time")).GetRawText();
        Assert.Contains(DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture), time, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newer_layout_opens_and_closes_a_position_and_books_a_deposit_once_per_process_id()
    {
        await using var c = await fixture.ConnectAsync();
        await c.AuthAsync(fixture.NettingKey, "num_id_preferred");
        var ids = $"\"trader_id\":{{\"id\":{Netting}}},\"account_id\":{{\"id\":{Netting}}}";
        var before = await BalanceAsync(c, Netting);

        var deposit = await c.CallAsync("update_balance", $"{{{ids},\"delta\":25.5,\"process_id\":\"e2e-dep-1\",\"reason\":\"deposit\"}}");
        var op = deposit.At("update_balance_response.success.balance_operation");
        Assert.Equal(25.5m, op.GetProperty("delta").GetDecimal());
        var again = await c.CallAsync("update_balance", $"{{{ids},\"delta\":25.5,\"process_id\":\"e2e-dep-1\",\"reason\":\"deposit\"}}");
        Assert.Equal(op.GetProperty("id").GetString(), again.At("update_balance_response.success.balance_operation.id").GetString());
        Assert.Equal(before + 25.5m, await BalanceAsync(c, Netting));
        var zero = await c.CallAsync("update_balance", $"{{{ids},\"delta\":0,\"process_id\":\"e2e-dep-0\",\"reason\":\"deposit\"}}");
        Assert.Equal("invalid_balance_transfer_amount", zero.At("update_balance_response.error").GetString());

        // Buy 0.10 lot at 1.10010, close at 1.10000: -1.00 USD.
        var placed = await c.CallAsync("place_order", $"{{{ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"e2e-buy-1\"}}");
        var order = placed.At("place_order_response.success");
        Assert.Equal("executed", order.GetProperty("order_status").GetString());
        var positionId = order.At("position_id.num_id").GetInt64();
        var position = (await c.CallAsync("get_positions", $"{{\"position_id\":{{\"id\":{positionId}}}}}")).At("get_positions_response.success")[0];
        Assert.Equal(1.10010m, position.At("open_bidask.ask").GetDecimal());

        var closed = await c.CallAsync("close_position", $"{{{ids},\"position_id\":{{\"id\":{positionId}}},\"process_id\":\"e2e-close-1\"}}");
        Assert.True(closed.At("close_position_response.success.is_close").GetBoolean());
        var history = (await c.CallAsync("get_history_positions", "{}")).At("get_history_positions_response.success").EnumerateArray()
            .Single(h => h.At("id.num_id").GetInt64() == positionId);
        Assert.Equal(1.10000m, history.GetProperty("close_price").GetDecimal());
        Assert.Equal(before + 25.5m - 1.00m, await BalanceAsync(c, Netting));
    }

    [Fact]
    public async Task Two_managers_see_only_the_accounts_and_events_of_their_masks_in_either_layout()
    {
        await using var demoDesk = await fixture.ConnectAsync();
        await demoDesk.AuthAsync(fixture.DemoKey);                       // seed layout
        await using var nettingDesk = await fixture.ConnectAsync();
        await nettingDesk.AuthAsync(fixture.NettingKey, "num_id_preferred"); // newer layout
        await demoDesk.RequestAsync("subscribe", Topics("accounts", "positions"));
        await nettingDesk.RequestAsync("subscribe", Topics("accounts", "positions"));

        var demoAccounts = Server(await demoDesk.ReadAsync()).At("success.accounts.snapshot.data");
        Assert.Equal([Str(Hedging)], demoAccounts.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        var nettingAccounts = Server(await nettingDesk.ReadAsync()).At("accounts.snapshot");
        Assert.Equal([Netting], nettingAccounts.EnumerateArray().Select(a => a.At("id.num_id").GetInt64()));

        // A desk cannot touch an account outside its mask: it does not exist for it.
        var foreign = await demoDesk.CallAsync("update_balance",
            $"{{\"trader_id\":\"{Netting}\",\"account_id\":\"{Netting}\",\"delta\":5,\"process_id\":\"e2e-foreign\",\"reason\":\"deposit\"}}");
        Assert.Equal("account_not_found", foreign.At("success.update_balance.err").GetString());
        Assert.Empty((await nettingDesk.CallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{Hedging}}}}}")).At("get_accounts_response.success").EnumerateArray());

        // The admin desk moves money and opens positions on both accounts.
        await using var admin = await fixture.ConnectAsync();
        await admin.AuthAsync(fixture.AdminKey, "num_id_preferred");
        foreach (var login in new[] { Hedging, Netting })
        {
            var ids = $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}";
            var tag = $"e2e-mask-{login}-{Guid.NewGuid():N}";
            Assert.True((await admin.CallAsync("update_balance", $"{{{ids},\"delta\":7,\"process_id\":\"{tag}\",\"reason\":\"deposit\"}}"))
                .At("update_balance_response").TryGetProperty("success", out _));
            Assert.Equal("executed", (await admin.CallAsync("place_order",
                $"{{{ids},\"asset_pair\":\"GBPUSD\",\"lots_amount\":0.01,\"is_buy\":false,\"order_type\":\"market\",\"process_id\":\"{tag}-o\"}}"))
                .At("place_order_response.success.order_status").GetString());
        }

        // Each desk receives its own account's balance operation and new position...
        var demoBalance = await demoDesk.WaitForAsync(e => Server(e).TryGetProperty("success", out var s) && s.TryGetProperty("account_balance_operation", out _));
        Assert.Equal(Str(Hedging), Server(demoBalance).At("success.account_balance_operation.created.data")[0].At("account.id").GetString());
        var demoPosition = await demoDesk.WaitForAsync(e => Server(e).TryGetProperty("success", out var s) && s.TryGetProperty("positions", out var p) && p.TryGetProperty("created", out _));
        Assert.Equal(Str(Hedging), Server(demoPosition).At("success.positions.created.data")[0].GetProperty("account_id").GetString());
        var nettingBalance = await nettingDesk.WaitForAsync(e => Server(e).TryGetProperty("accounts", out var a) && a.At("update").TryGetProperty("updated", out _));
        Assert.Equal(Netting, Server(nettingBalance).At("accounts.update.updated")[0].At("id.num_id").GetInt64());
        await nettingDesk.WaitForAsync(e => Server(e).TryGetProperty("positions", out _));

        // ...and nothing of the other account. Sentinel: a last deposit on each desk's own account, committed after
        // everything above; events reach a connection in commit order, so once a desk has its sentinel, anything
        // of the other account would have arrived before it.
        foreach (var (login, desk) in new[] { (Hedging, demoDesk), (Netting, nettingDesk) })
        {
            var ids = $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}";
            var sentinel = await admin.CallAsync("update_balance", $"{{{ids},\"delta\":0.01,\"process_id\":\"e2e-sentinel-{login}-{Guid.NewGuid():N}\",\"reason\":\"deposit\"}}");
            var balance = sentinel.At("update_balance_response.success.account.balance").GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await desk.WaitForAsync(e => e.GetRawText().Contains(balance, StringComparison.Ordinal));
        }
        var nettingUuid = ManagerIds.ToUuid(EntityKind.Account, Netting).ToString();
        var hedgingUuid = ManagerIds.ToUuid(EntityKind.Account, Hedging).ToString();
        Assert.DoesNotContain(demoDesk.Received, l => l.Contains($"\"{Netting}\"", StringComparison.Ordinal) || l.Contains(nettingUuid, StringComparison.Ordinal));
        Assert.DoesNotContain(nettingDesk.Received, l => l.Contains($"\"num_id\":{Hedging}}}", StringComparison.Ordinal) || l.Contains(hedgingUuid, StringComparison.Ordinal));
    }

    private static async Task<decimal> BalanceAsync(ManagerClient c, long login)
    {
        var reply = await c.CallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{login}}}}}");
        return reply.At("get_accounts_response.success")[0].GetProperty("balance").GetDecimal();
    }
}
