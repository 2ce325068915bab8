using System.Globalization;
using System.Text.Json;
using Dealwire.TraderSocket.Tests.Infrastructure;

namespace Dealwire.TraderSocket.Tests.EndToEnd;

/// <summary>
/// The trading endpoint's stream: a snapshot (account_added, position/pending_position created) then live events,
/// with nothing lost or repeated between them while trades run on the Server API; and the pushes' field names and
/// values per spec §6 (fixed prices: buy 0.10 EURUSD at 1.10010, closed at 1.10000 = -1.00 USD).
/// </summary>
[Collection(TraderSocketCollection.Name)]
public sealed class TradingStreamEndToEndTests(TraderSocketFixture fixture)
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Snapshot_then_events_lose_and_repeat_nothing_while_trades_happen_on_the_server_api()
    {
        await using var api = await fixture.ServerApiAsync();
        var login = await api.NewAccountAsync("demo", 10_000m);
        var midway = new TaskCompletionSource();
        var trading = Task.Run(async () =>
        {
            await using var trader = await fixture.ServerApiAsync();
            for (var i = 0; i < 30; i++)
            {
                if (i == 5) midway.TrySetResult();
                var ticket = await trader.OpenAsync(login, "EURUSD", i % 2, 10);
                await trader.DepositAsync(login, 1.25m, $"step {i}");
                if (i % 3 != 0) await trader.CloseAsync(login, ticket);
            }
        });

        // The snapshot is taken while the trades run.
        await midway.Task;
        await using var live = await fixture.TradingAsync();
        await live.AuthenticateAsync(fixture.DemoKey);
        var liveSeen = new List<JsonElement>();
        await trading;
        var first = "first sentinel " + Guid.NewGuid();
        await api.DepositAsync(login, 0.01m, first);
        await live.WaitForAsync(m => Push.IsOperation(m, first), liveSeen);

        // A second connection's snapshot, taken after the trades, must be what the first one's stream built.
        await using var late = await fixture.TradingAsync();
        await late.AuthenticateAsync(fixture.DemoKey);
        var second = "second sentinel " + Guid.NewGuid();
        await api.DepositAsync(login, 0.01m, second);
        var lateSeen = new List<JsonElement>();
        await late.WaitForAsync(m => Push.IsOperation(m, second), lateSeen);
        await live.WaitForAsync(m => Push.IsOperation(m, second), liveSeen);

        var streamed = Fold(liveSeen);
        var snapshot = Fold(lateSeen);
        Assert.Equal(snapshot.Balances.OrderBy(b => b.Key), streamed.Balances.OrderBy(b => b.Key));
        Assert.Equal(snapshot.Open.Order(), streamed.Open.Order());
        var id = login.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(10, streamed.Open.Count(p => p.Account == id));
        // The stream was really mixed: the snapshot held some of the trades, live events the rest.
        Assert.Contains(liveSeen, m => Push.Is(m, "position", "created", out var p) && p.GetProperty("account_id").GetString() == id);
    }

    [Fact]
    public async Task Position_and_balance_pushes_carry_the_spec_fields()
    {
        await using var api = await fixture.ServerApiAsync();
        var login = await api.NewAccountAsync("demo", 1_000m);
        var id = login.ToString(CultureInfo.InvariantCulture);
        await using var client = await fixture.TradingAsync();
        await client.AuthenticateAsync(fixture.DemoKey);
        var ticket = (await api.OpenAsync(login, "EURUSD", 0, 10)).ToString(CultureInfo.InvariantCulture);

        var createdLine = await Line(client, m => Push.Is(m, "position", "created", out var p) && p.GetProperty("id").GetString() == ticket);
        Assert.StartsWith("{\"message_id\":\"test\",\"message_type\":{\"server_message\":{\"position\":{\"created\":{\"id\":\"" + ticket + "\",", TraderClient.Normalize(createdLine));
        Push.Is(TraderClient.Parse(createdLine), "position", "created", out var created);
        Assert.Equal(PositionKeys, created.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, created.GetProperty("account_id").GetString());
        Assert.Equal("EURUSD", created.GetProperty("asset_pair").GetString());
        Assert.True(created.GetProperty("is_buy").GetBoolean());
        Assert.Equal("Buy", created.GetProperty("side").GetString());
        Assert.Equal(0.1m, created.GetProperty("lots_amount").GetDecimal());
        Assert.Equal(100_000m, created.GetProperty("lots_size").GetDecimal());
        Assert.Equal(1.10010m, created.GetProperty("asset_open_price").GetDecimal());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("close_date").ValueKind);
        Assert.Equal("USD", created.GetProperty("collateral_currency").GetString());

        await api.CloseAsync(login, long.Parse(ticket, CultureInfo.InvariantCulture));
        var afterClose = new List<JsonElement>();
        var closed = await client.WaitForAsync(m => Push.Is(m, "position", "closed", out var p) && p.GetProperty("id").GetString() == ticket, afterClose);
        Push.Is(closed, "position", "closed", out var c);
        Assert.Equal(PositionKeys, c.EnumerateObject().Select(p => p.Name));
        // Closed by the administrator over the Server API (a dealer's close), not by the trader's own command.
        Assert.Equal("ForceClose", c.GetProperty("close_reason").GetString());
        Assert.Equal(1.10000m, c.GetProperty("asset_close_price").GetDecimal());
        Assert.Equal(-1.00m, c.GetProperty("profit").GetDecimal());

        // The result is booked in the same batch as the close, and the engine books it first: it may already have been read.
        bool IsResult(JsonElement m) => Push.Is(m, "account_event", "account_update", out var u)
            && u.GetProperty("operation").ValueKind == JsonValueKind.Object && u.GetProperty("operation").GetProperty("operation_type").GetString() == "Trading"
            && u.GetProperty("account").GetProperty("id").GetString() == id;
        var result = afterClose.Any(IsResult) ? afterClose.First(IsResult) : await client.WaitForAsync(IsResult);
        Push.Is(result, "account_event", "account_update", out var update);
        Assert.Equal(["account", "operation"], update.EnumerateObject().Select(p => p.Name));
        Assert.Equal(AccountKeys, update.GetProperty("account").EnumerateObject().Select(p => p.Name));
        Assert.Equal(OperationKeys, update.GetProperty("operation").EnumerateObject().Select(p => p.Name));
        Assert.Equal(-1.00m, update.GetProperty("operation").GetProperty("delta").GetDecimal());
        Assert.Equal(999.00m, update.GetProperty("account").GetProperty("balance").GetDecimal());
        Assert.Equal("demo", update.GetProperty("account").GetProperty("trading_group").GetString());
    }

    private static readonly string[] AccountKeys =
    [
        "id", "trader_id", "currency", "balance", "trading_disabled", "leverage", "trading_group", "stop_out", "create_date",
        "last_update_date", "last_update_process_id", "create_process_id", "metadata",
    ];

    private static readonly string[] OperationKeys =
        ["id", "trader_id", "account_id", "operation_type", "process_id", "delta", "date_time_unix_ms", "comment", "reference_operation_id"];

    // The union of the model table (§6.4) and the event examples (§6.5).
    private static readonly string[] PositionKeys =
    [
        "id", "trader_id", "account_id", "asset_pair", "base", "quote", "is_buy", "side", "lots_amount", "lost_amount", "lots_size",
        "create_date", "create_process_id", "last_update_date", "last_update_process_id", "tp_price", "sl_price", "tp_in_instrument_price",
        "tp_in_currency", "sl_in_instrument_price", "sl_in_currency", "collateral_currency", "metadata", "leverage", "open_date",
        "open_process_id", "asset_open_price", "asset_open_bid_ask", "close_date", "close_reason", "asset_close_price", "asset_close_bid_ask",
        "close_process_id", "margin_price", "margin_bid_ask", "profit_price", "profit_bid_ask", "profit", "commission", "swaps",
    ];

    private static async Task<string> Line(TraderClient client, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var line = await client.NextAsync(deadline - DateTime.UtcNow);
            if (match(TraderClient.Parse(line))) return line;
        }
    }

    /// <summary>
    /// Folds a stream into balances and open positions, failing on anything lost or repeated: a balance operation must
    /// move the last balance seen by exactly its delta, an operation or position event must not come twice, and a
    /// position must be known (snapshot or created) before it is updated or closed.
    /// </summary>
    private static Folded Fold(List<JsonElement> messages)
    {
        var folded = new Folded();
        var operations = new HashSet<string>();
        var created = new HashSet<string>();
        var closedIds = new HashSet<string>();
        foreach (var m in messages)
        {
            if (Push.Is(m, "account_event", "account_added", out var added))
            {
                folded.Balances[added.GetProperty("id").GetString()!] = added.GetProperty("balance").GetDecimal();
            }
            else if (Push.Is(m, "account_event", "account_update", out var update))
            {
                var account = update.GetProperty("account");
                var id = account.GetProperty("id").GetString()!;
                var balance = account.GetProperty("balance").GetDecimal();
                if (update.GetProperty("operation") is { ValueKind: JsonValueKind.Object } op)
                {
                    Assert.True(operations.Add(op.GetProperty("id").GetString()!), $"operation sent twice: {m.GetRawText()}");
                    Assert.True(folded.Balances.TryGetValue(id, out var before), $"operation before its account: {m.GetRawText()}");
                    Assert.True(before + op.GetProperty("delta").GetDecimal() == balance, $"a balance operation is missing before {m.GetRawText()} (had {before})");
                }
                folded.Balances[id] = balance;
            }
            else if (Push.Is(m, "position", "created", out var p))
            {
                var id = p.GetProperty("id").GetString()!;
                Assert.True(created.Add(id), $"position created twice: {m.GetRawText()}");
                folded.Open.Add((p.GetProperty("account_id").GetString()!, id));
            }
            else if (Push.Is(m, "position", "closed", out var c))
            {
                var id = c.GetProperty("id").GetString()!;
                Assert.True(closedIds.Add(id), $"position closed twice: {m.GetRawText()}");
                Assert.True(folded.Open.Remove((c.GetProperty("account_id").GetString()!, id)), $"closed a position never seen: {m.GetRawText()}");
            }
            else if (Push.Is(m, "position", "updated", out var u))
            {
                Assert.Contains((u.GetProperty("account_id").GetString()!, u.GetProperty("id").GetString()!), folded.Open);
            }
        }
        return folded;
    }

    private sealed class Folded
    {
        public Dictionary<string, decimal> Balances { get; } = new();
        public HashSet<(string Account, string Id)> Open { get; } = new();
    }
}
