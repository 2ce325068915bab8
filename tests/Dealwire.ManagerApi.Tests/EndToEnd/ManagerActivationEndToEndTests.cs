using System.Globalization;
using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// Issue #12: pending orders activating in the real process (EURUSD dips once a second, see
/// <see cref="MovingPriceProcessFixture"/>), watched over the orders topic in both layouts at once.
/// </summary>
public sealed class ManagerActivationEndToEndTests(MovingPriceProcessFixture fixture) : IClassFixture<MovingPriceProcessFixture>
{
    private const decimal LimitPrice = 1.09500m; // below the 1.10010 ask, above the 1.09010 dip

    private static string Str(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string NewerIds(long login) => $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}";

    [Fact]
    public async Task An_activated_limit_order_keeps_its_type_creation_date_and_desired_price_in_both_layouts()
    {
        await using var seedWatch = await WatchOrdersAsync(seed: true);
        await using var newerWatch = await WatchOrdersAsync(seed: false);
        await using var desk = await fixture.ConnectAsync();
        await desk.AuthAsync(fixture.AdminKey, "num_id_preferred");

        var placed = await PlaceLimitAsync(desk, MovingPriceProcessFixture.HedgingLogin, 0.1m);
        var id = placed.At("id.num_id").GetInt64();
        var created = placed.GetProperty("create_date").GetInt64();
        Assert.Equal("limit", placed.GetProperty("order_type").GetString());

        // Newer layout: the executed order is still the limit order placed at `created` for 1.09500 (was market / fill time / null).
        var executed = ManagerClient.ServerMessage(await newerWatch.WaitForAsync(e => NewerOrderEvent(e, "executed") is { } o && o.At("id.num_id").GetInt64() == id, 10_000))
            .At("orders.update.executed");
        Assert.Equal("executed", executed.GetProperty("order_status").GetString());
        Assert.Equal("limit", executed.GetProperty("order_type").GetString());
        Assert.Equal(created, executed.GetProperty("create_date").GetInt64());
        Assert.Equal(LimitPrice, executed.GetProperty("desired_price").GetDecimal());
        Assert.Equal(id, executed.At("position_id.num_id").GetInt64());

        // Seed layout: same order, `created` and `price` as placed.
        var seedExecuted = ManagerClient.ServerMessage(await seedWatch.WaitForAsync(e => SeedOrderEvent(e, "executed") is { } o && o.GetProperty("id").GetString() == Str(id), 10_000))
            .At("success.orders.executed.data")[0];
        Assert.Equal("limit", seedExecuted.GetProperty("order_type").GetString());
        Assert.Equal(created, seedExecuted.GetProperty("created").GetInt64());
        Assert.Equal(LimitPrice, seedExecuted.GetProperty("price").GetDecimal());
        Assert.Equal("executed", seedExecuted.GetProperty("status").GetString());

        // Queries agree with the events; the position carries the fill at the dip's ask.
        var listed = Assert.Single((await desk.CallAsync("get_orders", $"{{\"order_id\":{{\"id\":{id}}},\"order_status\":\"executed\"}}"))
            .At("get_orders_response.success").EnumerateArray());
        Assert.Equal("limit", listed.GetProperty("order_type").GetString());
        Assert.Equal(created, listed.GetProperty("create_date").GetInt64());
        Assert.Equal(LimitPrice, listed.GetProperty("desired_price").GetDecimal());
        var seedListed = Assert.Single((await seedWatch.CallAsync("get_orders", $"{{\"order_status\":\"executed\",\"account_id\":\"{MovingPriceProcessFixture.HedgingLogin}\"}}"))
            .At("success.orders.response.data").EnumerateArray(), o => o.GetProperty("id").GetString() == Str(id));
        Assert.Equal("limit", seedListed.GetProperty("order_type").GetString());
        var position = Assert.Single((await desk.CallAsync("get_positions", $"{{\"position_id\":{{\"id\":{id}}}}}")).At("get_positions_response.success").EnumerateArray());
        Assert.Equal(MovingPriceProcessFixture.DipAsk, position.At("open_bidask.ask").GetDecimal());
    }

    [Fact]
    public async Task A_refused_activation_emits_exactly_one_final_event_in_both_layouts()
    {
        await using var seedWatch = await WatchOrdersAsync(seed: true);
        await using var newerWatch = await WatchOrdersAsync(seed: false);
        await using var desk = await fixture.ConnectAsync();
        await desk.AuthAsync(fixture.AdminKey, "num_id_preferred");
        var login = MovingPriceProcessFixture.NettingLogin;

        // 20 lots at the 1.09010 dip need 20 × 100 000 × 1.09010 / 100 = 21 802 USD of margin; the account holds 10 000.
        var id = (await PlaceLimitAsync(desk, login, 20m)).At("id.num_id").GetInt64();
        var failed = ManagerClient.ServerMessage(await newerWatch.WaitForAsync(e => NewerOrderEvent(e, "failed") is { } o && o.At("id.num_id").GetInt64() == id, 10_000))
            .At("orders.update.failed");
        Assert.Equal("rejected", failed.GetProperty("order_status").GetString());
        var seedFailed = ManagerClient.ServerMessage(await seedWatch.WaitForAsync(e => SeedOrderEvent(e, "failed") is { } o && o.GetProperty("id").GetString() == Str(id), 10_000))
            .At("success.orders.failed.data")[0];
        Assert.Equal("rejected", seedFailed.GetProperty("status").GetString());

        // Sentinel: an order placed afterwards; once its creation arrived, everything about the refused one has too.
        var sentinel = (await desk.CallAsync("place_order",
            $"{{{NewerIds(login)},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.01,\"is_buy\":true,\"order_type\":\"limit\",\"desire_price\":1.0,\"process_id\":\"sentinel-{Guid.NewGuid():N}\"}}"))
            .At("place_order_response.success.id.num_id").GetInt64();
        await newerWatch.WaitForAsync(e => NewerOrderEvent(e, "created") is { } o && o.At("id.num_id").GetInt64() == sentinel, 10_000);
        await seedWatch.WaitForAsync(e => SeedOrderEvent(e, "created") is { } o && o.GetProperty("id").GetString() == Str(sentinel), 10_000);

        // Placed, then refused: one final event (was `canceled` and then `failed`).
        Assert.Equal(["created", "failed"], ChangesOf(newerWatch, Str(id), seed: false));
        Assert.Equal(["created", "failed"], ChangesOf(seedWatch, Str(id), seed: true));

        // Listed as rejected, not as cancelled.
        var rejected = (await desk.CallAsync("get_orders", $"{{\"order_id\":{{\"id\":{id}}},\"order_status\":\"rejected\"}}")).At("get_orders_response.success");
        Assert.Equal("rejected", Assert.Single(rejected.EnumerateArray()).GetProperty("order_status").GetString());
        Assert.Equal(0, (await desk.CallAsync("get_orders", $"{{\"order_id\":{{\"id\":{id}}},\"order_status\":\"canceled\"}}")).At("get_orders_response.success").GetArrayLength());

        await desk.CallAsync("cancel_order", $"{{{NewerIds(login)},\"order_id\":{{\"id\":{sentinel}}}}}");
    }

    /// <summary>A connection of the admin key in the seed or newer layout, subscribed to orders, its snapshot read.</summary>
    private async Task<ManagerClient> WatchOrdersAsync(bool seed)
    {
        var c = await fixture.ConnectAsync();
        await c.AuthAsync(fixture.AdminKey, seed ? null : "num_id_preferred");
        await c.RequestAsync("subscribe", "{\"topics\":[\"orders\"]}");
        await c.WaitForAsync(e => ManagerClient.ServerMessage(e) is var s
            && (seed ? s.TryGetProperty("success", out var ok) && ok.TryGetProperty("orders", out var o) && o.TryGetProperty("snapshot", out _)
                : s.TryGetProperty("orders", out var n) && n.TryGetProperty("snapshot", out _)));
        return c;
    }

    /// <summary>
    /// Places a buy limit at <see cref="LimitPrice"/>. It is valid only while the price is high (900 ms of
    /// every second); one placed during the 100 ms dip is <c>invalid_desire_price</c> and is tried again.
    /// </summary>
    private static async Task<JsonElement> PlaceLimitAsync(ManagerClient desk, long login, decimal lots)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reply = (await desk.CallAsync("place_order",
                $"{{{NewerIds(login)},\"asset_pair\":\"EURUSD\",\"lots_amount\":{lots.ToString(CultureInfo.InvariantCulture)},\"is_buy\":true," +
                $"\"order_type\":\"limit\",\"desire_price\":{LimitPrice.ToString(CultureInfo.InvariantCulture)},\"process_id\":\"limit-{Guid.NewGuid():N}\"}}"))
                .At("place_order_response");
            if (reply.TryGetProperty("success", out var order)) return order;
            Assert.Equal("invalid_desire_price", reply.GetProperty("error").GetString());
            Assert.True(attempt < 10, "the limit order could not be placed while the price was high");
            await Task.Delay(150);
        }
    }

    private static JsonElement? NewerOrderEvent(JsonElement envelope, string change) =>
        ManagerClient.ServerMessage(envelope) is var s && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("orders", out var o)
        && o.TryGetProperty("update", out var u) && u.TryGetProperty(change, out var e) ? e : null;

    private static JsonElement? SeedOrderEvent(JsonElement envelope, string change) =>
        ManagerClient.ServerMessage(envelope) is var s && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("success", out var ok)
        && ok.TryGetProperty("orders", out var o) && o.TryGetProperty(change, out var e) ? e.GetProperty("data")[0] : null;

    /// <summary>The order events (created, updated, canceled, executed, failed) a connection received about one order, in order.</summary>
    private static List<string> ChangesOf(ManagerClient c, string id, bool seed)
    {
        var changes = new List<string>();
        foreach (var line in c.Received)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("message_type").ValueKind != JsonValueKind.Object) continue; // ping/pong
            var message = ManagerClient.ServerMessage(doc.RootElement);
            if (seed)
            {
                if (!message.TryGetProperty("success", out var ok) || !ok.TryGetProperty("orders", out var orders)) continue;
                foreach (var e in orders.EnumerateObject())
                {
                    if (e.Name is "snapshot" or "response") continue;
                    changes.AddRange(e.Value.GetProperty("data").EnumerateArray().Where(o => o.GetProperty("id").GetString() == id).Select(_ => e.Name));
                }
            }
            else if (message.TryGetProperty("orders", out var orders) && orders.TryGetProperty("update", out var update))
            {
                foreach (var e in update.EnumerateObject())
                {
                    if (Str(e.Value.At("id.num_id").GetInt64()) == id) changes.Add(e.Name);
                }
            }
        }
        return changes;
    }
}
