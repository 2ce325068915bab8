using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests;

/// <summary>subscribe: confirmation, snapshots, live events, calculation updates, group-mask isolation.</summary>
public sealed class SubscriptionTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private long _demo;
    private long _real;

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync(new() { ["CalculationIntervalMs"] = "50" });
        _demo = await _server.AccountAsync("demo", 1000m);
        _real = await _server.AccountAsync("real-eur", 2000m);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Topics(params string[] topics) => "{\"topics\":[" + string.Join(",", topics.Select(t => $"\"{t}\"")) + "]}";

    private static string Server(JsonElement e) => ManagerClient.ServerMessage(e).GetRawText();

    private static string? SeedPayload(JsonElement e) =>
        ManagerClient.ServerMessage(e).TryGetProperty("success", out var s) ? s.Keys()[0] : null;

    private static JsonElement? FindById(JsonElement e, string id)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == id) return e;
            foreach (var p in e.EnumerateObject())
            {
                if (FindById(p.Value, id) is { } found) return found;
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                if (FindById(item, id) is { } found) return found;
            }
        }
        return null;
    }

    [Fact]
    public async Task Seed_subscription_sends_confirmation_then_snapshots_then_events()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey);
        var confirm = await client.RequestAsync("subscribe", Topics("accounts", "positions", "orders", "prices", "trading_settings"));
        Assert.Equal("{}", ManagerClient.ServerMessage(confirm).At("success.subscribe_confirmed").GetRawText());

        var accounts = await client.ReadAsync();
        Assert.Equal(JsonValueKind.Null, accounts.GetProperty("message_response_id").ValueKind);
        Assert.Equal(2, ManagerClient.ServerMessage(accounts).At("success.accounts.snapshot.data").GetArrayLength());
        Assert.Equal(0, ManagerClient.ServerMessage(await client.ReadAsync()).At("success.positions.snapshot.data").GetArrayLength());
        Assert.Equal(0, ManagerClient.ServerMessage(await client.ReadAsync()).At("success.orders.snapshot.data").GetArrayLength());
        Assert.Equal(2, ManagerClient.ServerMessage(await client.ReadAsync()).At("success.last_prices.snapshot.data").GetArrayLength());
        var kinds = new List<string>();
        JsonElement? markups = null;
        for (var i = 0; i < 5; i++)
        {
            var message = await client.ReadAsync();
            kinds.Add(SeedPayload(message)!);
            if (kinds[^1] == "trading_markups") markups = message;
        }
        Assert.Equal(["trading_groups", "trading_instruments", "trading_profiles", "trading_markups", "day_off_profiles"], kinds);
        // Same meaning as the newer layout: points added to the bid (−2 = two points down) and to the ask.
        var eurusd = FindById(markups!.Value, "real-eur:EURUSD")!.Value;
        Assert.Equal((-2, 3), (eurusd.GetProperty("markup_bid").GetInt32(), eurusd.GetProperty("markup_ask").GetInt32()));

        await _server.Ok(new PostLedger(_demo, LedgerKind.Deposit, 25m) { IdempotencyKey = "srv-1" });
        var balance = await client.WaitForAsync(e => SeedPayload(e) == "account_balance_operation");
        var item = ManagerClient.ServerMessage(balance).At("success.account_balance_operation.created.data")[0];
        item.HasKeys("account", "operation");
        Assert.Equal(1025m, item.At("account.balance").GetDecimal());
        Assert.Equal("deposit", item.At("operation.reason").GetString());
        Assert.Equal("srv-1", item.At("operation.process_id").GetString());

        var position = await _server.Ok(new OpenPosition(_demo, "EURUSD", TradeCommand.Buy, 10));
        var created = await client.WaitForAsync(e => SeedPayload(e) == "positions");
        Assert.Equal(position.Ticket.ToString(CultureInfo.InvariantCulture),
            ManagerClient.ServerMessage(created).At("success.positions.created.data")[0].GetProperty("id").GetString());
        await _server.Ok(new ClosePosition(_demo, position.Ticket));
        var closed = await client.WaitForAsync(e => SeedPayload(e) == "positions" && Server(e).Contains("\"closed\"", StringComparison.Ordinal));
        Assert.True(ManagerClient.ServerMessage(closed).At("success.positions.closed.data")[0].TryGetProperty("close_price", out _));

        var order = await _server.Ok(new PlacePendingOrder(_demo, "EURUSD", TradeCommand.BuyLimit, 10, 1.05m));
        await client.WaitForAsync(e => SeedPayload(e) == "orders" && Server(e).Contains("\"created\"", StringComparison.Ordinal));
        await _server.Ok(new CancelPendingOrder(_demo, order.Ticket));
        var cancelled = await client.WaitForAsync(e => SeedPayload(e) == "orders" && Server(e).Contains("\"canceled\"", StringComparison.Ordinal));
        Assert.Equal("canceled", ManagerClient.ServerMessage(cancelled).At("success.orders.canceled.data")[0].GetProperty("status").GetString());

        await _server.FeedTick("EURUSD", 1.2m, 1.2001m);
        var price = await client.WaitForAsync(e => SeedPayload(e) == "last_prices");
        var p = ManagerClient.ServerMessage(price).At("success.last_prices.updated.data")[0];
        p.HasKeys("id", "bid", "ask");
        Assert.Equal(1.2m, p.GetProperty("bid").GetDecimal());
    }

    [Fact]
    public async Task Newer_subscription_uses_snapshot_and_update_keys()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey, "num_id_preferred");
        var confirm = await client.CallAsync("subscribe", Topics("accounts", "orders", "trading_settings", "calculate_updates"));
        Assert.True(confirm.At("subscribe_result.success").GetBoolean());
        Assert.Equal(2, ManagerClient.ServerMessage(await client.ReadAsync()).At("accounts.snapshot").GetArrayLength());
        Assert.Equal(0, ManagerClient.ServerMessage(await client.ReadAsync()).At("orders.snapshot").GetArrayLength());
        var settings = new List<JsonElement>();
        for (var i = 0; i < 6; i++) settings.Add(ManagerClient.ServerMessage(await client.ReadAsync()));
        Assert.Equal(["trading_groups", "trading_instruments", "trading_profiles", "trading_markups", "day_off_profiles", "collateral"],
            settings.Select(s => s.Keys()[0]));
        var realGroup = settings[0].At("trading_groups.snapshot").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "real-eur");
        realGroup.HasKeys("id", "name", "trading_profile_id", "swap_profile_id", "mde_profile_id", "trading_disabled");
        var profile = settings[2].At("trading_profiles.snapshot").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "real-eur");
        var eurusd = Assert.Single(profile.GetProperty("instruments").EnumerateArray());
        Assert.Equal(50m, eurusd.GetProperty("min_operation_volume").GetDecimal() * 100 * 50); // 0.01 lot minimum
        Assert.Equal(3.5m, eurusd.GetProperty("commission_per_lot").GetDecimal());
        Assert.Equal(50m, eurusd.GetProperty("instrument_max_leverage").GetDecimal());
        var markup = settings[3].At("trading_markups.snapshot").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "real-eur");
        Assert.Equal(-2, markup.At("instruments.EURUSD.markup_bid").GetInt32());
        Assert.Equal(3, markup.At("instruments.EURUSD.markup_ask").GetInt32());

        await _server.Ok(new PostLedger(_real, LedgerKind.Withdrawal, -100m));
        var updated = await client.WaitForAsync(e => ManagerClient.ServerMessage(e).TryGetProperty("accounts", out var a) && a.At("update").TryGetProperty("updated", out _));
        var tuple = ManagerClient.ServerMessage(updated).At("accounts.update.updated");
        Assert.Equal(2, tuple.GetArrayLength());
        Assert.Equal(1900m, tuple[0].GetProperty("balance").GetDecimal());
        Assert.Equal("withdrawal", tuple[1].GetProperty("reason").GetString());
        Assert.Equal(_real, tuple[1].At("account_id.num_id").GetInt64());

        await _server.Ok(new OpenPosition(_demo, "EURUSD", TradeCommand.Buy, 10));
        await _server.Tick("EURUSD", 1.10100m, 1.10102m);
        // Rounds carry only what changed: wait for the one where the demo account's margin moved.
        var calc = await client.WaitForAsync(e => ManagerClient.ServerMessage(e).TryGetProperty("accounts", out var a)
            && a.At("update").TryGetProperty("calculate_updates", out var rows)
            && rows.EnumerateArray().Any(r => r.At("account_id.num_id").GetInt64() == _demo && r.GetProperty("margin").GetDecimal() > 0));
        var row = ManagerClient.ServerMessage(calc).At("accounts.update.calculate_updates").EnumerateArray().Single(r => r.At("account_id.num_id").GetInt64() == _demo);
        row.HasKeys("account_id", "margin", "equity", "free_margin", "margin_level");

        await _server.Ok(new AccountCommandsProbe().Group);
        var groups = await client.WaitForAsync(e => ManagerClient.ServerMessage(e).TryGetProperty("trading_groups", out _));
        Assert.Contains(ManagerClient.ServerMessage(groups).At("trading_groups.update").EnumerateArray(), g => g.GetProperty("id").GetString() == "demo-new");
    }

    [Fact]
    public async Task Unknown_topics_and_bad_topic_lists_are_rejected()
    {
        await using var client = await _server.ConnectAsync();
        await client.AuthAsync(_server.AdminKey, "uuid_only");
        Assert.Equal("unknown_topic", (await client.CallAsync("subscribe", Topics("accounts", "weather"))).At("subscribe_result.error").GetString());
        Assert.Equal("invalid_message_format", (await client.CallAsync("subscribe", "{\"topics\":\"accounts\"}")).At("subscribe_result.error").GetString());
        await using var seed = await _server.ConnectAsync();
        await seed.AuthAsync(_server.AdminKey);
        Assert.Equal("unknown_topic", (await seed.CallAsync("subscribe", Topics("news"))).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Two_managers_never_receive_events_of_accounts_outside_their_masks()
    {
        await using var demoDesk = await _server.ConnectAsync();
        await demoDesk.AuthAsync(_server.DemoKey, "uuid_only");
        await using var realDesk = await _server.ConnectAsync();
        await realDesk.AuthAsync(_server.RealKey);
        var demoSkipped = new List<JsonElement>();
        var realSkipped = new List<JsonElement>();
        await demoDesk.RequestAsync("subscribe", Topics("accounts", "positions", "orders", "calculate_updates"), demoSkipped);
        await realDesk.RequestAsync("subscribe", Topics("accounts", "positions", "orders", "calculate_updates"), realSkipped);

        var demoSnapshot = ManagerClient.ServerMessage(await demoDesk.ReadAsync()).At("accounts.snapshot");
        Assert.Equal(1, demoSnapshot.GetArrayLength());
        var realSnapshot = ManagerClient.ServerMessage(await realDesk.ReadAsync()).At("success.accounts.snapshot.data");
        Assert.Equal(_real.ToString(CultureInfo.InvariantCulture), realSnapshot[0].GetProperty("id").GetString());

        // Activity on both accounts; each desk must see only its own.
        await _server.Ok(new PostLedger(_demo, LedgerKind.Deposit, 1m));
        await _server.Ok(new OpenPosition(_demo, "EURUSD", TradeCommand.Buy, 1));
        await _server.Ok(new PlacePendingOrder(_demo, "EURUSD", TradeCommand.BuyLimit, 1, 1.0m));
        await _server.Tick("EURUSD", 1.10200m, 1.10202m);
        await _server.Ok(new PostLedger(_real, LedgerKind.Deposit, 2m) { Comment = "last" });

        var realLast = await realDesk.WaitForAsync(e => Server(e).Contains("\"last\"", StringComparison.Ordinal));
        Assert.DoesNotContain(realDesk.Received, line => line.Contains($"\"{_demo}\"", StringComparison.Ordinal));
        Assert.NotNull(realLast.GetProperty("message_id").GetString());

        await _server.Ok(new PostLedger(_demo, LedgerKind.Deposit, 3m) { Comment = "demo-last" });
        await demoDesk.WaitForAsync(e => Server(e).Contains("\"demo-last\"", StringComparison.Ordinal));
        var realUuid = Dealwire.ManagerApi.Protocol.ManagerIds.ToUuid(Dealwire.ManagerApi.Protocol.EntityKind.Account, _real).ToString();
        Assert.DoesNotContain(demoDesk.Received, line => line.Contains(realUuid, StringComparison.Ordinal));
        Assert.Contains(demoDesk.Received, line => line.Contains("\"positions\":{\"update\":{\"created\"", StringComparison.Ordinal));
    }

    /// <summary>A settings change the newer-layout test waits for.</summary>
    private sealed class AccountCommandsProbe
    {
        public UpsertGroup Group { get; } = new(new GroupConfig { Name = "demo-new", Currency = "USD" });
    }
}
