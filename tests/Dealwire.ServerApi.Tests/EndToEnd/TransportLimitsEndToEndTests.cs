using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// The listener's resource limits against the real process: the authentication deadline, the line
/// completion deadline, the listener-wide budget for partial lines, and the reply-size limit with paging.
/// </summary>
[Trait("Category", "Slow")] // real-time deadlines (4 s) against a server process of its own
public sealed class TransportLimitsEndToEndTests(LimitsServerFixture fixture) : IClassFixture<LimitsServerFixture>
{
    private string Admin => fixture.AdminToken;

    [Fact]
    public async Task A_connection_without_a_valid_token_is_closed_at_the_authentication_deadline_and_refused_commands_do_not_extend_it()
    {
        var clock = Stopwatch.StartNew();
        await using var anonymous = await fixture.ConnectAsync();
        await using var authenticated = await fixture.ConnectAuthenticatedAsync();

        // Commands keep arriving, but none carries a valid token: each is answered 401 and none buys time. Up to three,
        // while well inside the deadline (on a starved machine a reply can take a second; the deadline must not be
        // what cuts the refused commands short).
        var refused = 0;
        do
        {
            (await anonymous.CallAsync("GetSymbol", new { symbol = "EURUSD" }, "not-a-token")).AssertError(401, "PERMISSION_DENIED");
            refused++;
            await Task.Delay(400);
        }
        while (refused < 3 && clock.Elapsed < LimitsServerFixture.Deadline - TimeSpan.FromSeconds(2));
        var timeout = Wire.Parse(await anonymous.WaitForAsync(l => l.Contains("RET_AUTH_TIMEOUT", StringComparison.Ordinal)));
        timeout.AssertError(408, "RET_AUTH_TIMEOUT");
        Assert.Equal(JsonValueKind.Null, timeout.GetProperty("extID").ValueKind);
        Assert.True(await anonymous.IsClosedByServerAsync());
        Assert.InRange(clock.Elapsed, LimitsServerFixture.Deadline - TimeSpan.FromMilliseconds(100), LimitsServerFixture.Deadline + TimeSpan.FromSeconds(5));

        // The authenticated connection outlives the deadline.
        var past = LimitsServerFixture.Deadline + TimeSpan.FromMilliseconds(500) - clock.Elapsed;
        if (past > TimeSpan.Zero) await Task.Delay(past);
        (await authenticated.CallAsync("GetSymbol", new { symbol = "GBPUSD" }, Admin)).AssertOk();
        await fixture.Server.WaitForOutputAsync("(authentication timeout)", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_line_not_finished_in_time_closes_the_connection_even_while_bytes_trickle_in()
    {
        await using var client = await fixture.ConnectAuthenticatedAsync();
        var clock = Stopwatch.StartNew();
        await client.SendRawAsync("{\"command\":\"GetSymbol\",\"data\":{\"symbol\":\""u8.ToArray());
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            // One byte every 250 ms: traffic, but the line never ends.
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(250, stop.Token);
                    await client.SendRawAsync("E"u8.ToArray());
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Stopped, or the server closed the connection.
            }
        });
        var timeout = Wire.Parse(await client.WaitForAsync(l => l.Contains("RET_LINE_TIMEOUT", StringComparison.Ordinal)));
        var elapsed = clock.Elapsed;
        timeout.AssertError(408, "RET_LINE_TIMEOUT");
        Assert.True(await client.IsClosedByServerAsync());
        await stop.CancelAsync();
        await trickle;
        Assert.InRange(elapsed, LimitsServerFixture.Deadline - TimeSpan.FromMilliseconds(100), LimitsServerFixture.Deadline + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Partial_lines_over_the_listener_budget_close_the_connection_that_would_exceed_it_and_the_budget_is_given_back()
    {
        // Two connections each park 60 KiB of one line: together 120 KiB > the 96 KiB budget.
        var start = Encoding.UTF8.GetBytes("{\"command\":\"GetSymbol\",\"data\":{\"symbol\":\"EURUSD\",\"pad\":\"" + new string('p', 60 * 1024));
        var end = Encoding.UTF8.GetBytes($"\"}},\"extID\":\"done\",\"__token\":\"{Admin}\"}}\r\n");
        await using var first = await fixture.ConnectAuthenticatedAsync();
        await using var second = await fixture.ConnectAuthenticatedAsync();
        await first.SendRawAsync(start);
        await second.SendRawAsync(start);
        await fixture.Server.WaitForOutputAsync("(MaxPartialLineBytes)", TimeSpan.FromSeconds(5));

        // The survivor finishes its line and is answered; the other got 503 RET_SERVER_BUSY and was closed.
        var outcomes = new List<JsonElement>();
        foreach (var client in new[] { first, second })
        {
            try
            {
                await client.SendRawAsync(end);
            }
            catch (IOException)
            {
                // The closed one may refuse the write.
            }
            outcomes.Add(Wire.Parse(await client.ReadLineAsync()));
        }
        var refused = Assert.Single(outcomes, o => o.Status() == 503);
        refused.AssertError(503, "RET_SERVER_BUSY");
        var served = Assert.Single(outcomes, o => o.Status() == 200);
        Assert.Equal("done", served.GetProperty("extID").GetString());
        Assert.True(await (outcomes[0].Status() == 503 ? first : second).IsClosedByServerAsync());

        // Both holdings went back to the budget: a new connection may park (and finish) the same line.
        await using var third = await fixture.ConnectAuthenticatedAsync();
        await third.SendRawAsync(start);
        await third.SendRawAsync(end);
        Assert.Equal("done", Wire.Parse(await third.ReadLineAsync()).GetProperty("extID").GetString());
    }

    [Fact]
    public async Task A_reply_larger_than_the_connection_limit_is_answered_413_and_the_table_can_be_read_in_pages()
    {
        await using var client = await fixture.ConnectAuthenticatedAsync();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // Asked twice: the same stable error each time, and the connection stays.
            var tooLarge = await client.CallAsync("GetSymbols", null, Admin);
            tooLarge.AssertError(413, "RET_REPLY_TOO_LARGE");
            Assert.Contains("limit/offset", tooLarge.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var symbols = new List<string>();
        int count;
        do
        {
            var page = await client.CallAsync("GetSymbols", new { limit = 1, offset = symbols.Count }, Admin);
            page.AssertOk();
            count = page.Data().GetProperty("count").GetInt32();
            var rows = page.Data().GetProperty("rows");
            Assert.Equal(1, rows.GetArrayLength());
            symbols.Add(rows[0][0].GetString()!);
        }
        while (symbols.Count < count);
        Assert.True(count >= 5, $"the embedded default has at least 5 symbols, got {count}");
        Assert.Equal(count, symbols.Distinct().Count());
        Assert.Contains("EURUSD", symbols);
    }

    /// <summary>Every table command of the Server API takes limit/offset; count (or total) stays the number of all rows.</summary>
    [Theory]
    [InlineData("GetAccountsByGroup", """{"group_mask":"*"}""", "count")]
    [InlineData("GetUsers", "{}", "count")]
    [InlineData("GetUserBalanceList", """{"logins":[1000,1001]}""", "count")]
    [InlineData("GetTradesByGroup", """{"group_mask":"*","open_only":0}""", "count")]
    [InlineData("GetTradesHistoryByLogin", """{"login":1000,"from":0,"to":4102444800}""", "count")]
    [InlineData("GetTrades", "{}", "count")]
    [InlineData("GetSymbols", "{}", "count")]
    [InlineData("GetSymbolsSummary", "{}", "count")]
    [InlineData("GetSymbolGroups", "{}", "total")]
    [InlineData("GetGroups", "{}", "count")]
    [InlineData("GetManagers", "{}", "count")]
    [InlineData("GetUsersByFilter", """{"groupFilter":"*"}""", "count")]
    [InlineData("MngGetTradesByFilter", """{"groupFilter":"*","tradeType":0}""", "count")]
    public async Task Every_table_command_is_pageable(string command, string data, string countName)
    {
        await using var client = await fixture.ConnectAuthenticatedAsync();
        // Make sure two accounts have a row of each kind: a position (open + trade history) on 1000.
        var paged = new Dictionary<string, object>(JsonSerializer.Deserialize<Dictionary<string, object>>(data)!) { ["limit"] = 1, ["offset"] = 1 };
        var first = await client.CallAsync(command, new Dictionary<string, object>(paged) { ["offset"] = 0 }, Admin);
        first.AssertOk();
        var rows = first.Data().GetProperty("rows");
        Assert.True(rows.GetArrayLength() <= 1, first.GetRawText());
        var total = first.Data().GetProperty(countName).GetInt32();
        Assert.True(total >= rows.GetArrayLength());
        var second = await client.CallAsync(command, paged, Admin);
        second.AssertOk();
        Assert.Equal(total > 1 ? 1 : 0, second.Data().GetProperty("rows").GetArrayLength());
        if (total > 1) Assert.NotEqual(rows[0].GetRawText(), second.Data().GetProperty("rows")[0].GetRawText());

        (await client.CallAsync(command, new Dictionary<string, object>(paged) { ["limit"] = 0 }, Admin)).AssertError(400, "INVALID_DATA");
    }
}
