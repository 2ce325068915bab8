using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// The real process drives engine time itself: with the feed stopped (a fixed-price tape played once, no
/// loop: a feed outage), a pending order still expires on time and the trading day still ends at the
/// configured rollover time. Nothing here sends a tick or a command that could carry time in.
/// </summary>
public sealed class EngineTimeTests
{
    private static DealwireProcessOptions OneShotFeed()
    {
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__Feed__ReplayLoop"] = "false";
        return options;
    }

    private static async Task<long> TicksProcessedAsync(DealwireProcess server) =>
        (await server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64();

    private static async Task<long> FundedAccountAsync(RecordedStream api, string token, decimal deposit)
    {
        var login = (await api.CallAsync("MngAddAccount", new
        {
            group = "demo", name = "Clock", email = "clock@example.com", password = "secret1", leverage = 100, enable = 1,
        }, token)).GetProperty("login").GetInt64();
        await api.CallAsync("BalanceInSync", new { login, amount = deposit }, token);
        return login;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_pending_order_expires_on_time_while_no_tick_arrives()
    {
        await using var server = await DealwireProcess.StartAsync(OneShotFeed());
        await server.WaitUntilPricedAsync();
        var ticks = await TicksProcessedAsync(server); // the tape has been played once; no tick comes after it
        var token = server.AdminToken;
        await using var api = await RecordedStream.ConnectAsync(server.ServerApiPort);
        var login = await FundedAccountAsync(api, token, 1_000m);

        // Buy limit far below the ask (1.10010), expiring 3 s from now (the wire counts seconds).
        var expiration = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3;
        var placed = await api.CallAsync("MngOpenPendingTrade", new { login, cmd = 2, volume = 10, symbol = "EURUSD", open_price = 1.05m, expiration }, token);
        var ticket = placed.GetProperty("order").GetInt64();

        var expired = (await api.ExpectAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("event", out var e) && e.GetString() == "trade:event"
            && m.GetProperty("data").GetProperty("order").GetInt64() == ticket
            && m.GetProperty("data").GetProperty("activation").GetInt32() == (int)Activation.Expiration,
            "the order's expiry", TimeSpan.FromSeconds(20))).GetProperty("data");
        Assert.Equal((int)TradeState.Deleted, expired.GetProperty("state").GetInt32());
        Assert.True(expired.GetProperty("close_time").GetInt64() >= expiration, expired.GetRawText());
        Assert.Equal(ticks, await TicksProcessedAsync(server)); // the host's clock, not a tick, expired it
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_day_ends_at_the_configured_rollover_time_and_prevbalance_keeps_its_balance_across_restarts()
    {
        var options = OneShotFeed();
        await using var server = await DealwireProcess.StartAsync(options);
        var token = server.AdminToken;
        long login;
        await using (var api = await RecordedStream.ConnectAsync(server.ServerApiPort))
        {
            login = await FundedAccountAsync(api, token, 1_000m);
            var fresh = await api.CallAsync("GetAccountByLogin", new { login }, token);
            Assert.Equal(0m, fresh.GetProperty("prevbalance").GetDecimal()); // no day has ended since it was opened
        }

        // Restart with the rollover a few seconds ahead: the day ends while the server runs, whatever the time.
        var rollover = DateTimeOffset.UtcNow.AddSeconds(3);
        options.Environment["DEALWIRE__Engine__RolloverTime"] = rollover.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        await server.RestartAsync();
        await using (var api = await RecordedStream.ConnectAsync(server.ServerApiPort))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            JsonElement account;
            while ((account = await api.CallAsync("GetAccountByLogin", new { login }, token)).GetProperty("prevbalance").GetDecimal() != 1_000m)
            {
                Assert.True(DateTime.UtcNow < deadline, "the day did not end at the rollover time: " + account.GetRawText());
                await Task.Delay(200);
            }
            Assert.True(DateTimeOffset.UtcNow >= rollover.AddMilliseconds(-rollover.Millisecond), "the day ended before the rollover time");

            await api.CallAsync("BalanceInSync", new { login, amount = 250m }, token);
            account = await api.CallAsync("GetAccountByLogin", new { login }, token);
            Assert.Equal(1_250m, account.GetProperty("balance").GetDecimal());
            Assert.Equal(1_000m, account.GetProperty("prevbalance").GetDecimal());
            // The rollover closes the day it falls on (it is after midnight); that day ends a month only on its last day.
            var closedDay = DateOnly.FromDateTime(rollover.UtcDateTime);
            var monthEnd = closedDay.AddDays(1).Day == 1;
            Assert.Equal(monthEnd ? 1_000m : 0m, account.GetProperty("prevmonthbalance").GetDecimal());
            AssertTableRow(await api.CallAsync("GetAccountsByGroup", new { group_mask = "demo" }, token), login, 1_000m, 1_250m);
        }

        // The rollover time and the closing balance come back from the journal / snapshot after a restart.
        await server.RestartAsync();
        await using (var api = await RecordedStream.ConnectAsync(server.ServerApiPort))
        {
            var account = await api.CallAsync("GetAccountByLogin", new { login }, token);
            Assert.Equal(1_000m, account.GetProperty("prevbalance").GetDecimal());
            Assert.Equal(1_250m, account.GetProperty("balance").GetDecimal());
        }
    }

    private static void AssertTableRow(JsonElement table, long login, decimal prevBalance, decimal balance)
    {
        var columns = table.GetProperty("structure").EnumerateArray().Select(e => e.GetString()).ToList();
        var row = table.GetProperty("rows").EnumerateArray().Single(r => r[columns.IndexOf("login")].GetInt64() == login);
        Assert.Equal(prevBalance, row[columns.IndexOf("prevbalance")].GetDecimal());
        Assert.Equal(balance, row[columns.IndexOf("balance")].GetDecimal());
    }
}
