using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// What one connection's input can and cannot do to the server, against the real process: text that is not
/// Unicode is a 400 on a kept connection, a command followed at once by FIN is answered (or not applied), and
/// a command owns its request bytes however long it awaits the engine.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class ConnectionIntegrityEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    /// <summary>Escapes of half a surrogate pair are valid JSON but no text; raw bytes that are not UTF-8 are neither.</summary>
    [Theory]
    [InlineData("""{"command":"GetSymbol","data":{"symbol":"EURUSD"},"extID":"\ud800","__token":"TOKEN"}""", null)]
    [InlineData("""{"command":"\udc00GetSymbol","data":{"symbol":"EURUSD"},"extID":"bad-command","__token":"TOKEN"}""", "bad-command")]
    [InlineData("""{"command":"GetSymbol","data":{"symbol":"EURUSD"},"extID":"bad-token","__token":"\ud800"}""", "bad-token")]
    [InlineData("""{"command":"GetSymbol","data":{"symbol":"EURUSD"},"\ud800":1,"extID":"bad-name","__token":"TOKEN"}""", "bad-name")]
    [InlineData("""{"command":"GetSymbol","data":{"symbol":"EURUSD"},"extID":"<FF>","__token":"TOKEN"}""", null)]
    [InlineData("""{"command":"Get<C0>Symbol","data":{"symbol":"EURUSD"},"extID":"utf8-command","__token":"TOKEN"}""", null)]
    [InlineData("""{"command":"GetSymbol","data":{"symbol":"EURUSD"},"extID":"utf8-token","__token":"<ED><A0><80>"}""", null)]
    public async Task Text_that_is_not_unicode_is_answered_400_invalid_data_and_the_connection_is_kept(string line, string? extId)
    {
        await using var client = await fixture.ConnectAsync();
        var bytes = RawWire.Bytes(line.Replace("TOKEN", Admin, StringComparison.Ordinal) + "\r\n");
        for (var i = 0; i < 3; i++)
        {
            await client.SendRawAsync(bytes);
            var reply = Wire.Parse(await client.ReadLineAsync());
            reply.AssertError(400, "INVALID_DATA");
            var echoed = reply.GetProperty("extID");
            if (extId is null) Assert.Equal(JsonValueKind.Null, echoed.ValueKind);
            else Assert.Equal(extId, echoed.GetString());
        }
        // Same connection, next command: served.
        (await client.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Admin)).AssertOk();
        // Logged as a client fault at Information, never as an error with a stack trace.
        await fixture.Server.WaitForOutputAsync("Client fault on connection", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("fail:", fixture.Server.OutputSinceLastStart, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", fixture.Server.OutputSinceLastStart, StringComparison.Ordinal);
    }

    /// <summary>
    /// A deposit then FIN at once, 20 times: each round the reply arrives and the money is there, or neither.
    /// The server reads the whole command before it sees the FIN, so it is answered every time.
    /// </summary>
    [Fact]
    public async Task A_command_followed_at_once_by_fin_is_answered_and_applied_or_neither()
    {
        const long login = RealServerFixture.NettingLogin;
        await using var control = await fixture.ConnectAsync();
        var answered = 0;
        for (var round = 0; round < 20; round++)
        {
            var before = await BalanceAsync(control, login);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", fixture.Port);
            var extId = "fin-" + round.ToString(CultureInfo.InvariantCulture);
            var request = Wire.Request("BalanceIn", new { login, amount = 1m, comment = extId }, Admin, extId) + "\r\n";
            await socket.SendAsync(Encoding.UTF8.GetBytes(request));
            socket.Shutdown(SocketShutdown.Send);

            // Everything until the server closes: its end of stream means every command it read has finished.
            var received = await RawWire.ReadToEndAsync(socket);
            var reply = received.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(Wire.Parse).SingleOrDefault(r => r.TryGetProperty("extID", out var x) && x.GetString() == extId);
            // Read-your-writes holds per connection: the control connection's own write, applied after the round's
            // command, makes its next read see that command's effect (the read waits for the view to reach it).
            (await control.CallAsync("BalanceIn", new { login = RealServerFixture.HedgingLogin, amount = 1m, comment = "sync " + extId }, Admin)).AssertOk();
            var after = await BalanceAsync(control, login);
            if (reply.ValueKind == JsonValueKind.Object)
            {
                reply.AssertOk();
                answered++;
                Assert.Equal(before + 1m, after); // answered → applied, exactly once
            }
            else
            {
                Assert.Equal(before, after); // not answered → not applied
            }
        }
        Assert.Equal(20, answered);
    }

    /// <summary>
    /// Hundreds of pipelined edits of one position, each with its own stop loss. The handler reads <c>sl</c> after
    /// awaiting the engine; had the request bytes gone back to the receive pipe meanwhile, replies would carry
    /// another line's value (or fail to parse).
    /// </summary>
    [Fact]
    public async Task Pipelined_updates_each_carry_their_own_stop_loss()
    {
        const long login = RealServerFixture.HedgingLogin;
        await using var client = await fixture.ConnectAsync();
        var open = await client.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, Admin);
        open.AssertOk();
        var order = open.Data().GetProperty("order").GetInt64();

        // A buy at bid 1.10000: stop losses 1.00000, 1.00010, … 1.02990 are all below the market. Sent in pipelined
        // bursts of 30 (each edit answers a reply and a trade:event, ~1.4 KiB): a burst stays far under the fixture's
        // 256 KiB of pending output even if the client has not read a byte of it yet, with room left for the events of
        // the tests running beside it on the shared server (this admin connection receives them all; with bursts of 100
        // a starved machine once reached the cap and the server rightly dropped the connection).
        const int count = 300, burst = 30;
        var expected = new Dictionary<string, decimal>();
        for (var first = 0; first < count; first += burst)
        {
            var batch = new StringBuilder();
            for (var i = first; i < first + burst; i++)
            {
                var sl = 1.00000m + (i * 0.0001m);
                var extId = "sl-" + i.ToString(CultureInfo.InvariantCulture);
                expected[extId] = sl;
                batch.Append(Wire.Request("MngUpdateTradeSync", new { order, login, cmd = 0, sl, comment = extId }, Admin, extId)).Append("\r\n");
            }
            await client.SendRawAsync(Encoding.UTF8.GetBytes(batch.ToString()));

            var seen = new HashSet<string>();
            while (seen.Count < burst)
            {
                var line = await client.WaitForAsync(l => l.StartsWith("{\"extID\":\"sl-", StringComparison.Ordinal));
                var reply = Wire.Parse(line);
                reply.AssertOk();
                var extId = reply.GetProperty("extID").GetString()!;
                Assert.True(seen.Add(extId), "two replies for " + extId);
                Assert.Equal(expected[extId], reply.Data().GetProperty("sl").GetDecimal());
                Assert.Equal(extId, reply.Data().GetProperty("comment").GetString());
            }
        }

        var trades = (await client.CallAsync("GetTrades", null, Admin)).Data();
        var columns = trades.GetProperty("structure").EnumerateArray().Select(c => c.GetString()).ToList();
        var row = trades.GetProperty("rows").EnumerateArray().Single(r => r[columns.IndexOf("order")].GetInt64() == order);
        var finalSl = row[columns.IndexOf("sl")].GetDecimal();
        var finalComment = row[columns.IndexOf("comment")].GetString()!;
        // The last edit applied wins whole: its own stop loss with its own comment.
        Assert.Equal(expected[finalComment], finalSl);
    }

    private async Task<decimal> BalanceAsync(LineClient control, long login) =>
        (await control.CallAsync("GetAccountByLogin", new { login }, Admin)).Data().GetProperty("balance").GetDecimal();


}
