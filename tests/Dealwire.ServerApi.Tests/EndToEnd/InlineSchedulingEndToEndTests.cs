using System.Globalization;
using System.Text;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// <c>ServerApi:InlineSocketScheduling</c> runs the connection's read loop and its sends on the socket thread
/// (docs/performance.md). The protocol must not notice: pipelined commands on one connection are all answered
/// and applied exactly once, and a second connection is served meanwhile.
/// </summary>
public sealed class InlineSchedulingEndToEndTests
{
    [Fact]
    public async Task Pipelined_commands_are_each_answered_once_with_inline_socket_scheduling()
    {
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__ServerApi__InlineSocketScheduling"] = "true";
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();
        const long login = 1001;
        const int commands = 64;

        await using var trader = await LineClient.ConnectAsync(server.ServerApiPort);
        await using var other = await LineClient.ConnectAsync(server.ServerApiPort);
        // 64 deposits answered one after another on a 2-core box shared with builds: allow more than the default 10 s.
        trader.Timeout = other.Timeout = TimeSpan.FromSeconds(30);
        var before = await BalanceAsync(other, server.AdminToken, login);

        // One write carrying every command: the server reads them in one batch and answers them all.
        var batch = new StringBuilder();
        for (var i = 0; i < commands; i++)
        {
            batch.Append(Wire.Request("BalanceIn", new { login, amount = 1m, comment = "inline" }, server.AdminToken,
                "inline-" + i.ToString(CultureInfo.InvariantCulture))).Append("\r\n");
        }
        await trader.SendRawAsync(Encoding.UTF8.GetBytes(batch.ToString()));

        var orders = new HashSet<long>();
        for (var i = 0; i < commands; i++)
        {
            var reply = await trader.ReplyAsync("inline-" + i.ToString(CultureInfo.InvariantCulture));
            reply.AssertOk();
            Assert.True(orders.Add(reply.Data().GetProperty("order").GetInt64()), "one order per deposit");
        }
        Assert.Equal(before + commands, await BalanceAsync(other, server.AdminToken, login));
    }

    private static async Task<decimal> BalanceAsync(LineClient client, string token, long login) =>
        (await client.CallAsync("GetAccountByLogin", new { login }, token)).Data().GetProperty("balance").GetDecimal();
}
