using System.Text;
using System.Text.Json;
using Dealwire.Security;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>Framing, the spec's own request lines, identity and bad input against the real dealwire process.</summary>
[Collection(RealServerCollection.Name)]
public sealed class ProtocolEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    [Fact]
    public async Task A_reply_is_exactly_one_json_line_ending_in_crlf()
    {
        await using var c = await fixture.ConnectAsync();
        await c.SendAsync($$"""{"command":"Subscribe","data":{"chanels":["EURUSD"]},"extID":"frame1","__token":"{{Admin}}"}""");
        // No quote before the reply (Subscribe takes effect once it is queued); events of other tests' accounts may be.
        var pushes = new List<string>();
        Assert.Equal("""{"extID":"frame1","status":200,"data":"OK"}""", await c.NextReplyLineAsync(pushes));
        Assert.DoesNotContain(pushes, l => l.StartsWith("[\"t\",", StringComparison.Ordinal));
        Assert.Equal("{\"extID\":\"frame1\",\"status\":200,\"data\":\"OK\"}\r\n"u8.ToArray(), c.LastRawLine);

        // The first push after it is a 5-element quote array at the replayed price, time in Unix seconds.
        var quote = await c.WaitForAsync(l => l.StartsWith("[\"t\",\"EURUSD\"", StringComparison.Ordinal));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var time = Wire.Parse(quote)[4].GetInt64();
        Assert.InRange(time, now - 60, now + 5);
        Assert.Equal($"[\"t\",\"EURUSD\",1.10000,1.10010,{time}]", quote);
        Assert.Equal(Encoding.UTF8.GetBytes(quote + "\r\n"), c.LastRawLine);
    }

    [Fact]
    public async Task A_bare_lf_and_blank_lines_are_accepted_and_many_requests_may_be_in_flight()
    {
        await using var c = await fixture.ConnectAsync();
        var ids = Enumerable.Range(0, 100).Select(i => $"pipe{i}").ToList();
        var batch = "\r\n \n" + string.Concat(ids.Select(id => Wire.Request("GetSymbol", new { symbol = "GBPUSD" }, Admin, id) + (id.EndsWith('7') ? "\n" : "\r\n")));
        await c.SendRawAsync(Encoding.UTF8.GetBytes(batch));
        var seen = new HashSet<string>();
        while (seen.Count < ids.Count)
        {
            var reply = Wire.Parse(await c.NextReplyLineAsync());
            reply.AssertOk();
            Assert.Equal("GBPUSD", reply.Data().GetProperty("symbol").GetString());
            Assert.True(seen.Add(reply.GetProperty("extID").GetString()!));
        }
        Assert.True(seen.SetEquals(ids));
    }

    /// <summary>The seed's nc lines (scaletrade seed 000) and the spec's request examples, sent byte for byte as written.</summary>
    [Theory]
    [InlineData("""{"command":"Subscribe","data":{"chanels":["EURUSD","BTCUSD"]},"extID":"sub1","__token":"your-jwt-token"}""", "sub1")]
    [InlineData("""{"command":"Unsubscribe","data":{"chanels":["BTCUSD"]},"extID":"unsub1","__token":"your-jwt-token"}""", "unsub1")]
    [InlineData("""{"command":"Subscribe","data":{"chanels":["EURUSD"]},"extId":"sub2","__token":"your-jwt-token"}""", "sub2")]
    [InlineData("""{"command":"GetTradesByGroup","data":{"group_mask":"*","open_only":1},"extID":"tbg","__token":"your-jwt-token"}""", "tbg")]
    [InlineData("""{"command":"GetAccountsByGroup","data":{"group_mask":"*"},"extID":"abg","__token":"your-jwt-token"}""", "abg")]
    [InlineData("""{"command":"MngGetTradesByFilter","data":{"groupFilter":"*","limit":50,"offset":0,"tradeType":0,"orderBy":[["order","desc"]]},"extID":"mgt","__token":"your-jwt-token"}""", "mgt")]
    [InlineData("""{"command":"GetUsersByFilter","data":{"groupFilter":"*","limit":10,"offset":0,"where":[["balance",">",0]],"orderBy":["login","ASC"]},"extID":"guf","__token":"your-jwt-token"}""", "guf")]
    [InlineData("""{"command":"GetUserBalanceList","data":{"logins":[1000,1001]},"extID":"ubl","__token":"your-jwt-token"}""", "ubl")]
    [InlineData("""{"command":"GetSymbolsSummary","data":{},"extID":"sum","__token":"your-jwt-token"}""", "sum")]
    public async Task The_spec_request_lines_are_answered_200_by_the_embedded_default(string line, string extId)
    {
        await using var c = await fixture.ConnectAsync();
        await c.SendRawAsync(Encoding.UTF8.GetBytes(line.Replace("your-jwt-token", Admin, StringComparison.Ordinal) + "\r\n"));
        var reply = Wire.Parse(await c.WaitForAsync(l => l.StartsWith('{') && l.Contains($"\"extID\":\"{extId}\"", StringComparison.Ordinal)));
        reply.AssertOk();
    }

    [Fact]
    public async Task The_seed_AddUser_line_runs_unchanged_in_the_embedded_TestGroup()
    {
        // The seed's examples name group "TestGroup": the embedded default has it (hedging, USD, 1:100).
        const string seedLine = """{"command":"AddUser","data":{"group":"TestGroup","name":"John Doe","email":"[email protected]","password":"pass123","leverage":100,"enable":1},"extID":"adduser1","__token":"your-jwt-token"}""";
        await using var c = await fixture.ConnectAsync();
        await c.SendAsync(seedLine.Replace("your-jwt-token", Admin, StringComparison.Ordinal));
        var created = Wire.Parse(await c.WaitForAsync(l => l.Contains("\"extID\":\"adduser1\"", StringComparison.Ordinal)));
        created.AssertOk();
        var login = created.Data().GetProperty("login").GetInt64();
        Assert.Equal(100, created.Data().GetProperty("leverage").GetInt32());
        Assert.Equal("USD", created.Data().GetProperty("currency").GetString());
        var account = await c.CallAsync("GetAccountByLogin", new { login }, Admin);
        account.AssertOk();
        Assert.Equal("John Doe", account.Data().GetProperty("name").GetString());
        Assert.Equal("TestGroup", account.Data().GetProperty("group").GetString());
        Assert.False(account.Data().TryGetProperty("password", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjozfQ.c2lnbmF0dXJl")]
    public async Task A_missing_or_malformed_token_gets_401_and_the_connection_stays_open(string token)
    {
        await using var c = await fixture.ConnectAsync();
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, token)).AssertError(401, "PERMISSION_DENIED");
        await c.SendAsync("""{"command":"GetSymbol","data":{"symbol":"EURUSD"},"extID":"notoken"}""");
        Wire.Parse(await c.ReadLineAsync()).AssertError(401, "PERMISSION_DENIED");
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Expired_and_foreign_tokens_get_401()
    {
        await using var c = await fixture.ConnectAsync();
        var expired = fixture.Issue(SessionType.Admin, 1, lifetime: TimeSpan.FromSeconds(-5));
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, expired)).AssertError(401, "PERMISSION_DENIED");
        // Signed with another server's key: same claims, wrong signature.
        var foreign = new TokenService(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())
            .Issue(new SessionIdentity { Type = SessionType.Admin, Id = 1, Name = "x", GroupMask = "*" }, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, foreign)).AssertError(401, "PERMISSION_DENIED");
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task Insufficient_rights_get_403_and_the_connection_stays_open()
    {
        await using var c = await fixture.ConnectAsync();
        var user = fixture.Issue(SessionType.User, RealServerFixture.HedgingLogin, "demo");
        (await c.CallAsync("MngAddAccount", new { group = "demo", name = "X", email = "x@y.z", password = "secret1", leverage = 100, enable = 1 }, user))
            .AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("GetAccountByLogin", new { login = RealServerFixture.NettingLogin }, user)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var nettingDesk = fixture.Issue(SessionType.Manager, 5, "demo-netting");
        (await c.CallAsync("GetAccountByLogin", new { login = RealServerFixture.HedgingLogin }, nettingDesk)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("BalanceIn", new { login = RealServerFixture.HedgingLogin, amount = 1 }, nettingDesk)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var own = await c.CallAsync("GetAccountByLogin", new { login = RealServerFixture.NettingLogin }, nettingDesk);
        own.AssertOk();
        Assert.Equal("demo-netting", own.Data().GetProperty("group").GetString());
        (await c.CallAsync("GetAccountByLogin", new { login = RealServerFixture.HedgingLogin }, user)).AssertOk();
    }

    [Theory]
    [InlineData("{\"command\":\"GetSymbol\",", "malformed JSON")]
    [InlineData("[\"t\",\"EURUSD\"]", "must be a JSON object")]
    [InlineData("12", "must be a JSON object")]
    public async Task Malformed_and_non_object_json_get_400_with_a_null_extid(string line, string messagePart)
    {
        await using var c = await fixture.ConnectAsync();
        await c.SendAsync(line);
        var reply = Wire.Parse(await c.ReadLineAsync());
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("extID").ValueKind);
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains(messagePart, reply.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Admin)).AssertOk();
    }

    [Fact]
    public async Task Binary_garbage_is_answered_400_and_the_connection_keeps_working()
    {
        await using var c = await fixture.ConnectAsync();
        var garbage = new byte[512];
        new Random(4711).NextBytes(garbage);
        for (var i = 0; i < garbage.Length; i++) if (garbage[i] is (byte)'\n' or (byte)'\r') garbage[i] = 0xFE;
        await c.SendRawAsync([.. garbage, (byte)'\r', (byte)'\n', 0x00, 0xC3, 0x28, (byte)'\n']);
        Wire.Parse(await c.ReadLineAsync()).AssertError(400, "INVALID_DATA");
        Wire.Parse(await c.ReadLineAsync()).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Admin)).AssertOk();
    }

    public static TheoryData<string, object, int, string> BadCommands => new()
    {
        { "NoSuchCommand", new { }, 400, "INVALID_DATA" },
        { "MngOpenTrade", new { login = 1000, cmd = 0, volume = 10, sl = 0, tp = 0 }, 400, "INVALID_DATA" },
        { "MngOpenTrade", new { login = 1000, cmd = 0, volume = "ten", symbol = "EURUSD", sl = 0, tp = 0 }, 400, "INVALID_DATA" },
        { "MngOpenTrade", new { login = 1000, cmd = 0, volume = 1e30, symbol = "EURUSD", sl = 0, tp = 0 }, 400, "INVALID_DATA" },
        { "MngOpenTrade", new { login = 1000, cmd = 0, volume = -10, symbol = "EURUSD", sl = 0, tp = 0 }, 400, "RET_TRADE_BAD_VOLUME" },
        { "MngOpenTrade", new { login = 1000, cmd = 0, volume = 10, symbol = "NOSUCH", sl = 0, tp = 0 }, 404, "RET_SYMBOL_NOT_FOUND" },
        { "MngOpenTrade", new { login = 987654, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, 404, "RET_USER_NOT_FOUND" },
        { "BalanceIn", new { login = 1000, amount = 1e300 }, 400, "INVALID_DATA" },
        { "BalanceIn", new { login = 1000, amount = -5 }, 400, "INVALID_DATA" },
        { "BalanceOut", new { login = 1000, amount = 5 }, 400, "INVALID_DATA" },
        { "GetAccountByLogin", new { login = 987654 }, 404, "RET_USER_NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task Bad_command_input_gets_the_documented_error_and_changes_nothing(string command, object data, int status, string error)
    {
        await using var c = await fixture.ConnectAsync();
        var before = await BalanceAsync(c);
        (await c.CallAsync(command, data, Admin)).AssertError(status, error);
        Assert.Equal(before, await BalanceAsync(c));
    }

    [Fact]
    public async Task An_oversized_line_gets_an_error_then_is_closed_while_others_are_served()
    {
        await using var bystander = await fixture.ConnectAsync();
        await using var c = await fixture.ConnectAsync();
        await c.SendRawAsync(Encoding.UTF8.GetBytes("{\"command\":\"GetSymbol\",\"data\":{\"pad\":\"" + new string('A', RealServerFixture.MaxLineBytes * 3)));
        var reply = Wire.Parse(await c.ReadLineAsync());
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains($"longer than {RealServerFixture.MaxLineBytes} bytes", reply.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(await c.IsClosedByServerAsync());
        (await bystander.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Admin)).AssertOk();
        await fixture.Server.WaitForOutputAsync($"closed: line over {RealServerFixture.MaxLineBytes} bytes", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_client_that_never_reads_is_closed_while_another_keeps_getting_replies_and_quotes()
    {
        await using var reader = await fixture.ConnectAsync();
        (await reader.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, Admin)).AssertOk();

        await using var sleeper = await fixture.ConnectAsync();
        sleeper.Socket.ReceiveBufferSize = 4096;
        // Each GetSymbols answer is a few KB: 2 000 of them are far beyond the pending-reply limit.
        var burst = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Wire.Request("GetSymbols", null, Admin) + "\r\n", 2000)));
        var sending = sleeper.SendRawAsync(burst);

        var skipped = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var id = Wire.NextId();
            await reader.SendAsync(Wire.Request("GetSymbol", new { symbol = "EURUSD" }, Admin, id));
            (await reader.ReplyAsync(id, skipped)).AssertOk();
            await Task.Delay(10);
        }
        await reader.WaitForAsync(l => l.StartsWith("[\"t\",\"EURUSD\"", StringComparison.Ordinal));

        // Reading now drains what the kernel buffered, then meets the end of the stream the server caused.
        Assert.True(await sleeper.IsClosedByServerAsync(TimeSpan.FromSeconds(20)), "the never-reading connection was not closed");
        await fixture.Server.WaitForOutputAsync("the client does not read its replies and events", TimeSpan.FromSeconds(5));
        await Task.WhenAny(sending, Task.Delay(1000));
        (await reader.CallAsync("GetSymbol", new { symbol = "EURUSD" }, Admin)).AssertOk();
    }

    private async Task<decimal> BalanceAsync(Testing.LineClient c)
    {
        var reply = await c.CallAsync("GetAccountByLogin", new { login = RealServerFixture.HedgingLogin }, Admin);
        reply.AssertOk();
        return reply.Data().GetProperty("balance").GetDecimal();
    }

    /// <summary>An UpdateGroup body with the spec's required fields (USD, 1:100, Forex tradable).</summary>
    public static object Group(string name, object[]? secmargins = null) => new
    {
        group = name, company = "Dealwire", currency = "USD", enable = 1, margin_call = 100, margin_mode = 0, margin_type = 0,
        margin_stopout = 50, default_leverage = 100, default_deposit = 0,
        secgroups = new object[] { new { sec_index = 0, show = 1, trade = 1, lot_min = 1, lot_max = 10000, lot_step = 1 } },
        secmargins = secmargins ?? [],
    };
}
