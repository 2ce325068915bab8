using System.Globalization;
using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>A real server with one Manager API key ("desk", mask demo), for the audit side channel's sign-ins.</summary>
public sealed class AuditServerFixture : IAsyncLifetime
{
    public DealwireProcess Server { get; private set; } = null!;
    public string DeskKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                var result = await DealwireCli.RunAsync("key", "issue", "--manager", "desk", "--groups", "demo", "--data-dir", server.DataDir);
                Assert.True(result.ExitCode == 0, result.ToString());
                DeskKey = result.StandardOutput.Trim();
            },
        }.WithFixedPrices();
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Server.ServerApiPort);
}

/// <summary>
/// Issue #15 (audit log): GetLogs over a real socket — journaled manager commands and the side channel's sign-ins,
/// refusals and server start, each with its source address; the documented shape, filters, order, paging and errors.
/// </summary>
public sealed class AuditLogEndToEndTests(AuditServerFixture fixture) : IClassFixture<AuditServerFixture>
{
    private string Admin => fixture.Server.AdminToken;

    private static readonly object AllTime = new { from = 0, to = 4_102_444_800L, limit = 1000, offset = 0 };

    /// <summary>Side-channel rows are stored in the background: poll GetLogs until a row matching the filter is there.</summary>
    private async Task<JsonElement[]> WaitForRowsAsync(LineClient client, Dictionary<string, object> filter, Func<JsonElement[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var data = new Dictionary<string, object> { ["from"] = 0, ["to"] = 4_102_444_800L, ["limit"] = 1000, ["offset"] = 0 };
            foreach (var (k, v) in filter) data[k] = v;
            var reply = await client.CallAsync("GetLogs", data, Admin);
            reply.AssertOk();
            var rows = reply.Data().GetProperty("rows").EnumerateArray().ToArray();
            if (done(rows)) return rows;
            if (DateTime.UtcNow >= deadline)
            {
                var everything = await client.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 50, offset = 0 }, Admin);
                Assert.Fail("audit rows never arrived: " + reply.GetRawText() + "\nall rows: " + everything.GetRawText());
            }
            await Task.Delay(100);
        }
    }

    private static string Col(JsonElement row, int i) => row[i].ValueKind == JsonValueKind.Number ? row[i].GetInt64().ToString(CultureInfo.InvariantCulture) : row[i].GetString()!;

    [Fact]
    public async Task A_balance_operation_a_refused_token_and_sign_ins_are_listed_newest_first_with_their_source()
    {
        await using var admin = await fixture.ConnectAsync();
        var source = admin.LocalEndPointText();
        (await admin.CallAsync("BalanceIn", new { login = 1000, amount = 12.34m, comment = "audit-deposit" }, Admin)).AssertOk();

        // Journaled: visible at once (read-your-writes), actor admin:1, detail is the command.
        var reply = await admin.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 10, offset = 0, action = "ledger.post", detail = "audit-deposit" }, Admin);
        reply.AssertOk();
        var data = reply.Data();
        Assert.Equal(["time", "actor_type", "actor_id", "action", "status", "source", "detail"], data.GetProperty("structure").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(1, data.GetProperty("count").GetInt64());
        var row = data.GetProperty("rows")[0];
        Assert.Equal(("MANAGER", "1", "ledger.post", "SUCCESS"), (Col(row, 1), Col(row, 2), Col(row, 3), Col(row, 4)));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", Col(row, 0));
        Assert.Contains("12.34", Col(row, 6), StringComparison.Ordinal);

        // A refused token from another connection: AccessDenied, ERROR, anonymous client, the caller's address.
        await using var stranger = await fixture.ConnectAsync();
        var strangerSource = stranger.LocalEndPointText();
        (await stranger.CallAsync("GetUsers", new { }, "not-a-token")).AssertError(401, "PERMISSION_DENIED");
        // A wrong password for account 1000.
        (await stranger.CallAsync("AuthUser", new { login = 1000, password = "wrong-password" }, "")).AssertError(403, "USER_NOT_FOUND_OR_INCORRECT");

        var refused = await WaitForRowsAsync(admin, new() { ["source"] = strangerSource }, rows => rows.Length >= 2);
        Assert.Equal(2, refused.Length);
        // Newest first: the sign-in came after the refused token.
        Assert.Equal(("CLIENT", "1000", "AuthUser", "ERROR"), (Col(refused[0], 1), Col(refused[0], 2), Col(refused[0], 3), Col(refused[0], 4)));
        Assert.Equal(("CLIENT", "0", "AccessDenied", "ERROR"), (Col(refused[1], 1), Col(refused[1], 2), Col(refused[1], 3), Col(refused[1], 4)));
        Assert.Contains("GetUsers: PERMISSION_DENIED", Col(refused[1], 6), StringComparison.Ordinal);
        Assert.NotEqual(source, strangerSource);
    }

    [Fact]
    public async Task Manager_api_sign_ins_are_audited_granted_and_refused()
    {
        await using var desk = await LineClient.ConnectAsync(fixture.Server.ManagerApiPort);
        var deskSource = desk.LocalEndPointText();
        await desk.SendAsync("""{"message_id":"bad","message_type":{"client_message":{"auth_request":{"secret_key":"dwk_wrong"}}}}""");
        await desk.WaitForAsync(l => l.Contains("\"bad\"", StringComparison.Ordinal));
        await desk.SendAsync("{\"message_id\":\"good\",\"message_type\":{\"client_message\":{\"auth_request\":{\"secret_key\":\"" + fixture.DeskKey + "\"}}}}");
        var granted = await desk.WaitForAsync(l => l.Contains("\"good\"", StringComparison.Ordinal));
        Assert.Contains("session_id", granted, StringComparison.Ordinal);

        await using var admin = await fixture.ConnectAsync();
        var rows = await WaitForRowsAsync(admin, new() { ["action"] = "AuthManager", ["source"] = deskSource }, r => r.Length >= 2);
        Assert.Equal(("MANAGER", "SUCCESS"), (Col(rows[0], 1), Col(rows[0], 4)));
        Assert.Contains("desk signed in", Col(rows[0], 6), StringComparison.Ordinal);
        Assert.Equal(("MANAGER", "0", "ERROR"), (Col(rows[1], 1), Col(rows[1], 2), Col(rows[1], 4)));

        // Exact filters combine: only the refused one is an ERROR.
        var errors = await WaitForRowsAsync(admin, new() { ["action"] = "AuthManager", ["source"] = deskSource, ["status"] = "ERROR", ["actor_type"] = "MANAGER" }, r => r.Length >= 1);
        Assert.Single(errors);
    }

    [Fact]
    public async Task The_server_start_is_a_system_row_and_the_global_filter_and_paging_work()
    {
        await using var admin = await fixture.ConnectAsync();
        var start = await WaitForRowsAsync(admin, new() { ["actor_type"] = "SYSTEM", ["action"] = "ServerStart" }, r => r.Length >= 1);
        Assert.Equal(("SYSTEM", "0", "INFO", "local"), (Col(start[0], 1), Col(start[0], 2), Col(start[0], 4), Col(start[0], 5)));
        Assert.Contains("started", Col(start[0], 6), StringComparison.Ordinal);

        // "filter" searches every text column: the action name is enough.
        var byText = await WaitForRowsAsync(admin, new() { ["filter"] = "ServerStart" }, r => r.Length >= 1);
        Assert.Equal(start.Length, byText.Length);

        // Paging: limit/offset cut the newest-first list; count stays the whole match.
        for (int i = 0; i < 3; i++) (await admin.CallAsync("BalanceIn", new { login = 1001, amount = 1m + i, comment = "audit-page" }, Admin)).AssertOk();
        var all = await admin.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 10, offset = 0, detail = "audit-page" }, Admin);
        var second = await admin.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 1, offset = 1, detail = "audit-page" }, Admin);
        Assert.Equal(3, all.Data().GetProperty("count").GetInt64());
        Assert.Equal(3, second.Data().GetProperty("count").GetInt64());
        Assert.Single(second.Data().GetProperty("rows").EnumerateArray());
        Assert.Equal(all.Data().GetProperty("rows")[1].GetRawText(), second.Data().GetProperty("rows")[0].GetRawText());
        Assert.Contains("\"Amount\":2", all.Data().GetProperty("rows")[1][6].GetString()!, StringComparison.Ordinal);

        // A range that ends before the server started holds nothing.
        var empty = await admin.CallAsync("GetLogs", new { from = 0, to = 1, limit = 10, offset = 0 }, Admin);
        Assert.Equal(0, empty.Data().GetProperty("count").GetInt64());
    }

    [Theory]
    [InlineData("{\"to\":10,\"limit\":10,\"offset\":0}", "from")]
    [InlineData("{\"from\":0,\"to\":10,\"limit\":0,\"offset\":0}", "limit")]
    [InlineData("{\"from\":0,\"to\":10,\"limit\":10,\"offset\":-1}", "offset")]
    [InlineData("{\"from\":20,\"to\":10,\"limit\":10,\"offset\":0}", "to")]
    [InlineData("{\"from\":0,\"to\":10,\"limit\":10,\"offset\":0,\"actor_type\":\"ROBOT\"}", "actor_type")]
    [InlineData("{\"from\":0,\"to\":10,\"limit\":10,\"offset\":0,\"status\":\"FINE\"}", "status")]
    public async Task Bad_input_is_400_invalid_data(string data, string field)
    {
        await using var admin = await fixture.ConnectAsync();
        var reply = await admin.CallAsync("GetLogs", JsonDocument.Parse(data).RootElement, Admin);
        reply.AssertError(400, "INVALID_DATA");
        Assert.Contains(field, reply.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_without_the_logs_right_is_refused_and_the_refusal_is_audited()
    {
        await using var manager = await fixture.ConnectAsync();
        var token = fixture.Server.IssueToken(SessionType.Manager, 42, "demo", rights: [Rights.SeeAccounts]);
        (await manager.CallAsync("GetLogs", AllTime, token)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");

        await using var admin = await fixture.ConnectAsync();
        var rows = await WaitForRowsAsync(admin, new() { ["actor_id"] = 42, ["action"] = "AccessDenied" }, r => r.Length >= 1);
        Assert.Equal(("MANAGER", "42", "ERROR"), (Col(rows[0], 1), Col(rows[0], 2), Col(rows[0], 4)));
        Assert.StartsWith("GetLogs: RET_NOT_ENOUGH_RIGHTS", Col(rows[0], 6), StringComparison.Ordinal);
    }
}
