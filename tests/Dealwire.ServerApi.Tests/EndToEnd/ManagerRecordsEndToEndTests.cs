using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>A server of its own, started after the CLI created manager "cli-desk" in its data directory.</summary>
public sealed class ManagerRecordsFixture : IAsyncLifetime
{
    public DealwireProcess Server { get; private set; } = null!;

    /// <summary>The id <c>dealwire manager add</c> printed for "cli-desk".</summary>
    public long CliManagerId { get; private set; }

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                var added = await DealwireCli.RunAsync("manager", "add", "--name", "cli-desk", "--groups", "demo*", "--rights", "see_accounts",
                    "--data-dir", server.DataDir);
                Assert.True(added.ExitCode == 0, added.ToString());
                CliManagerId = long.Parse(added.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            },
        }.WithFixedPrices();
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Server.ServerApiPort);
}

/// <summary>
/// Issue #15 (managers as records), over a real socket: AddManager → AuthManager → its token works with the record's
/// mask; revoking a right or disabling the manager refuses the same token's next command (403); GetManagers lists the
/// record; changes reach the audit log; the CLI path (<c>dealwire manager add|update</c>) binds tokens the same way.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ManagerRecordsEndToEndTests(ManagerRecordsFixture fixture) : IClassFixture<ManagerRecordsFixture>
{
    private string Admin => fixture.Server.AdminToken;

    private static readonly object DemoUsers = new { groupFilter = "demo*", limit = 10, offset = 0 };

    [Fact]
    public async Task A_manager_added_by_an_admin_signs_in_and_its_rights_and_enable_flag_apply_at_the_next_command()
    {
        await using var c = await fixture.ConnectAsync();
        var added = await c.CallAsync("AddManager", new
        {
            name = "desk-anna", email = "anna@broker.test", password = "s3cret-pw", groups = "demo*",
            see_accounts = 1, set_accounts = 0, phone = "+44 1", language = "en",
        }, Admin);
        added.AssertOk();
        var id = added.Data().GetProperty("id").GetInt64();

        (await c.CallAsync("AuthManager", new { email = "anna@broker.test", password = "wrong-pw" }, "")).AssertError(403, "USER_NOT_FOUND_OR_INCORRECT");
        var signedIn = await c.CallAsync("AuthManager", new { email = "anna@broker.test", password = "s3cret-pw" }, "");
        signedIn.AssertOk();
        var profile = signedIn.Data();
        Assert.Equal(id, profile.GetProperty("id").GetInt64());
        Assert.Equal("demo*", profile.GetProperty("groups").GetString());
        Assert.False(profile.TryGetProperty("password", out _));
        var token = profile.GetProperty("__token").GetString()!;

        // Right and mask from the record: demo accounts readable, other groups' not, no set_accounts.
        (await c.CallAsync("GetUsersByFilter", DemoUsers, token)).AssertOk();
        (await c.CallAsync("MngAddAccount", new { group = "demo", name = "x", password = "abcdef1" }, token)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");

        // Revoking see_accounts: the same token's next command is refused.
        (await c.CallAsync("UpdateManager", new { id, see_accounts = 0 }, Admin)).AssertOk();
        (await c.CallAsync("GetUsersByFilter", DemoUsers, token)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("UpdateManager", new { id, see_accounts = 1 }, Admin)).AssertOk();
        (await c.CallAsync("GetUsersByFilter", DemoUsers, token)).AssertOk();

        // Disabled: refused at once, and AuthManager says so.
        (await c.CallAsync("UpdateManager", new { id, enable = 0 }, Admin)).AssertOk();
        (await c.CallAsync("GetUsersByFilter", DemoUsers, token)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("AuthManager", new { id, password = "s3cret-pw" }, "")).AssertError(402, "USER_DISABLED");

        // GetManagers lists it with the documented row, enable 0.
        var list = await c.CallAsync("GetManagers", new { }, Admin);
        list.AssertOk();
        var row = list.Data().GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == id);
        foreach (var field in new[] { "id", "admin", "groups", "name", "email", "otp_secret", "see_accounts", "see_accounts_detail", "see_accounts_online",
            "del_accounts", "set_accounts", "set_accounts_balance", "see_accounts_balance", "del_accounts_balance", "see_trades", "set_trades", "del_trades",
            "dealer_trades", "logs", "reports", "market_watch", "techsupport", "see_export", "sort_index", "enable", "phone", "language" })
        {
            Assert.True(row.TryGetProperty(field, out _), field);
        }
        Assert.Equal(("desk-anna", 0, 1, 0), (row.GetProperty("name").GetString(), row.GetProperty("enable").GetInt32(),
            row.GetProperty("see_accounts").GetInt32(), row.GetProperty("set_accounts").GetInt32()));

        // Deleted: gone from the list, the token stays refused, the id is not found for updates.
        (await c.CallAsync("DeleteManager", new { id }, Admin)).AssertOk();
        (await c.CallAsync("GetUsersByFilter", DemoUsers, token)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("UpdateManager", new { id, enable = 1 }, Admin)).AssertError(404, "RET_CFG_NOT_MANAGER_LOGIN");
        var after = (await c.CallAsync("GetManagers", new { }, Admin)).Data().GetProperty("rows").EnumerateArray();
        Assert.DoesNotContain(after, r => r.GetProperty("id").GetInt64() == id);

        // Every change is in the audit log.
        var logs = await WaitForActionsAsync(c, ["AddManager", "UpdateManager", "DeleteManager", "AuthManager"]);
        Assert.Contains(logs, r => r[3].GetString() == "AddManager" && r[6].GetString()!.Contains("desk-anna", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Manager_commands_refuse_bad_input_and_non_admins()
    {
        await using var c = await fixture.ConnectAsync();
        var manager = fixture.Server.IssueToken(SessionType.Manager, 9_000, "*");
        (await c.CallAsync("AddManager", new { name = "nope" }, manager)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("AddManager", new { groups = "*" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("AddManager", new { name = "short-pw", password = "12345" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("AddManager", new { name = "otp", otp_secret = "ABC" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("AddManager", new { name = "twin-a", email = "twin@broker.test" }, Admin)).AssertOk();
        (await c.CallAsync("AddManager", new { name = "TWIN-A" }, Admin)).AssertError(400, "RET_CFG_DUPLICATE");
        (await c.CallAsync("AddManager", new { name = "twin-b", email = "TWIN@broker.test" }, Admin)).AssertError(400, "RET_CFG_DUPLICATE");
        (await c.CallAsync("DeleteManager", new { id = 987_654 }, Admin)).AssertError(404, "RET_CFG_NOT_MANAGER_LOGIN");
        (await c.CallAsync("AuthManager", new { password = "abcdefg" }, "")).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("AuthManager", new { name = "twin-a", password = "abcdefg" }, "")).AssertError(403, "USER_NOT_FOUND_OR_INCORRECT");
    }

    [Fact]
    public async Task A_manager_created_by_the_CLI_binds_tokens_to_its_record_and_a_CLI_change_applies_while_the_server_runs()
    {
        await using var c = await fixture.ConnectAsync();
        var id = fixture.CliManagerId;
        // The token claims every right; the record grants only see_accounts, and wins.
        var token = fixture.Server.IssueToken(SessionType.Manager, id, "*", rights: Rights.Known);
        (await c.CallAsync("GetUsersByFilter", DemoUsers, token)).AssertOk();
        (await c.CallAsync("MngAddAccount", new { group = "demo", name = "x", password = "abcdef1" }, token)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");

        var rows = (await c.CallAsync("GetManagers", new { }, Admin)).Data().GetProperty("rows").EnumerateArray();
        Assert.Contains(rows, r => r.GetProperty("id").GetInt64() == id && r.GetProperty("name").GetString() == "cli-desk" && r.GetProperty("groups").GetString() == "demo*");

        var disabled = await DealwireCli.RunAsync("manager", "update", "--name", "cli-desk", "--enable", "false", "--data-dir", fixture.Server.DataDir);
        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        // The server re-reads the file within a quarter second: wait for the refusal (bounded), never assume it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement reply;
        while ((reply = await c.CallAsync("GetUsersByFilter", DemoUsers, token)).Status() == 200 && DateTime.UtcNow < deadline) await Task.Delay(50);
        reply.AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var logs = await WaitForActionsAsync(c, ["UpdateManager"]);
        Assert.Contains(logs, r => r[6].GetString()!.Contains("cli-desk", StringComparison.Ordinal) && r[6].GetString()!.Contains("outside the server", StringComparison.Ordinal));
    }

    private async Task<List<JsonElement>> WaitForActionsAsync(LineClient c, string[] actions)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var reply = await c.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 1000, offset = 0 }, Admin);
            reply.AssertOk();
            var rows = reply.Data().GetProperty("rows").EnumerateArray().ToList();
            if (actions.All(a => rows.Any(r => r[3].GetString() == a))) return rows;
            if (DateTime.UtcNow >= deadline) Assert.Fail("audit rows never arrived: " + reply.GetRawText());
            await Task.Delay(100);
        }
    }
}
