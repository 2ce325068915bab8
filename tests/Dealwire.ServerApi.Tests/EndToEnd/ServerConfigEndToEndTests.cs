using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>A server of its own: these tests change the configuration (flood control) other tests would feel.</summary>
public sealed class ConfigServerFixture : IAsyncLifetime
{
    public DealwireProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await DealwireProcess.StartAsync(new DealwireProcessOptions().WithFixedPrices());
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Server.ServerApiPort);
}

/// <summary>
/// ServerConfigEndToEndTests and CrossPairEndToEndTests share one <see cref="ConfigServerFixture"/> process (one after
/// the other, so a configuration change never overlaps another test). A class may still take <c>IClassFixture&lt;ConfigServerFixture&gt;</c>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConfigServerCollection : ICollectionFixture<ConfigServerFixture>
{
    public const string Name = "Server API configuration server";
}

/// <summary>Issue #15 (server configuration): GetConfig / UpdateConfig over a real socket, journaled, audited, surviving a restart.</summary>
[Collection(ConfigServerCollection.Name)]
public sealed class ServerConfigEndToEndTests(ConfigServerFixture fixture)
{
    private string Admin => fixture.Server.AdminToken;

    private static readonly string[] Documented =
    [
        "server_build", "typeofdemo", "timeofdemo", "timezone", "antiflood", "floodcontrol", "daylightcorrection", "feeder_timeout",
        "rollovers_mode", "path_database", "path_history", "name", "owner", "brand", "account_url", "keepticks", "monthly_state_mode",
        "statement_mode", "statement_weekend", "license_status", "license_expire", "license_init", "license", "time_backup", "http_port",
        "tcp_port", "fix_port", "ws_port",
    ];

    private static Dictionary<string, object> Update(JsonElement current, Dictionary<string, object>? changes = null)
    {
        var data = new Dictionary<string, object>();
        foreach (var field in new[] { "name", "owner", "account_url", "path_database", "path_history", "path_log" }) data[field] = current.GetProperty(field).GetString()!;
        foreach (var field in new[] { "timeofdemo", "timezone", "antiflood", "floodcontrol", "rollovers_mode" }) data[field] = current.GetProperty(field).GetInt32();
        foreach (var (k, v) in changes ?? new()) data[k] = v;
        return data;
    }

    [Fact]
    public async Task GetConfig_answers_every_documented_field_from_the_real_settings()
    {
        await using var admin = await fixture.ConnectAsync();
        var reply = await admin.CallAsync("GetConfig", new { }, Admin);
        reply.AssertOk();
        var data = reply.Data();
        foreach (var field in Documented) Assert.True(data.TryGetProperty(field, out _), field);
        Assert.Equal(fixture.Server.ServerApiPort, data.GetProperty("tcp_port").GetInt32());
        Assert.Equal(fixture.Server.HttpPort, data.GetProperty("http_port").GetInt32());
        Assert.Equal(fixture.Server.DataDir, data.GetProperty("path_database").GetString());
        Assert.Contains("tcp_port", data.GetProperty("restart_required").EnumerateArray().Select(e => e.GetString()));

        // A manager with the config right reads it; a dealer (the spec says ADMIN or MANAGER) does not.
        (await admin.CallAsync("GetConfig", new { }, fixture.Server.IssueToken(SessionType.Manager, 9, "*"))).AssertOk();
        (await admin.CallAsync("GetConfig", new { }, fixture.Server.IssueToken(SessionType.Dealer, 9, "*"))).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
    }

    [Fact]
    public async Task UpdateConfig_is_admin_only_validates_and_shows_in_GetConfig_and_the_audit_log()
    {
        await using var admin = await fixture.ConnectAsync();
        var current = (await admin.CallAsync("GetConfig", new { }, Admin)).Data();

        var manager = fixture.Server.IssueToken(SessionType.Manager, 9, "*");
        (await admin.CallAsync("UpdateConfig", Update(current), manager)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await admin.CallAsync("UpdateConfig", Update(current, new() { ["rollovers_mode"] = 3 }), Admin)).AssertError(400, "INVALID_DATA");
        (await admin.CallAsync("UpdateConfig", Update(current, new() { ["timezone"] = 20 }), Admin)).AssertError(400, "INVALID_DATA");
        var missing = Update(current);
        missing.Remove("owner");
        (await admin.CallAsync("UpdateConfig", missing, Admin)).AssertError(400, "INVALID_DATA");

        var ok = await admin.CallAsync("UpdateConfig", Update(current, new()
        {
            ["name"] = "Broker Live", ["owner"] = "Broker Ltd", ["timezone"] = 2, ["rollovers_mode"] = 1, ["keepticks"] = 30, ["brand"] = "BL",
        }), Admin);
        ok.AssertOk();
        Assert.Equal("OK", ok.Data().GetString());
        Assert.False(ok.TryGetProperty("restart_required", out _));

        var after = (await admin.CallAsync("GetConfig", new { }, Admin)).Data();
        Assert.Equal(("Broker Live", "Broker Ltd", 2, 1, 30, "BL"), (after.GetProperty("name").GetString(), after.GetProperty("owner").GetString(),
            after.GetProperty("timezone").GetInt32(), after.GetProperty("rollovers_mode").GetInt32(), after.GetProperty("keepticks").GetInt32(),
            after.GetProperty("brand").GetString()));

        // Journaled and audited: the after image carries the new configuration.
        var logs = await admin.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 10, offset = 0, action = "settings.server" }, Admin);
        var row = logs.Data().GetProperty("rows")[0];
        Assert.Equal(("MANAGER", 1), (row[1].GetString(), row[2].GetInt32()));
        Assert.Contains("Broker Live", row[6].GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_or_path_change_is_not_applied_and_the_reply_says_a_restart_is_needed()
    {
        await using var admin = await fixture.ConnectAsync();
        var current = (await admin.CallAsync("GetConfig", new { }, Admin)).Data();
        var reply = await admin.CallAsync("UpdateConfig", Update(current, new() { ["tcp_port"] = 1, ["path_history"] = "/elsewhere/history.db" }), Admin);
        reply.AssertOk();
        Assert.Equal(["path_history", "tcp_port"], reply.GetProperty("restart_required").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Contains("next start", reply.GetProperty("message").GetString()!, StringComparison.Ordinal);
        var after = (await admin.CallAsync("GetConfig", new { }, Admin)).Data();
        Assert.Equal(fixture.Server.ServerApiPort, after.GetProperty("tcp_port").GetInt32());
    }

    [Fact]
    public async Task Flood_control_limits_connections_opened_after_the_change()
    {
        await using var admin = await fixture.ConnectAsync();
        var current = (await admin.CallAsync("GetConfig", new { }, Admin)).Data();
        (await admin.CallAsync("UpdateConfig", Update(current, new() { ["antiflood"] = 1, ["floodcontrol"] = 3 }), Admin)).AssertOk();
        try
        {
            await using var client = await fixture.ConnectAsync();
            var ids = Enumerable.Range(0, 10).Select(_ => Wire.NextId()).ToList();
            foreach (var id in ids) await client.SendAsync(Wire.Request("GetSymbol", new { symbol = "EURUSD" }, Admin, id));
            var statuses = new List<int>();
            foreach (var id in ids) statuses.Add((await client.ReplyAsync(id)).Status());
            Assert.Contains(429, statuses);
            Assert.True(statuses.Count(s => s == 200) <= 4, string.Join(",", statuses));
        }
        finally
        {
            (await admin.CallAsync("UpdateConfig", Update(current, new() { ["floodcontrol"] = 0 }), Admin)).AssertOk();
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_configuration_survives_a_restart()
    {
        await using var admin = await fixture.ConnectAsync();
        var current = (await admin.CallAsync("GetConfig", new { }, Admin)).Data();
        (await admin.CallAsync("UpdateConfig", Update(current, new() { ["owner"] = "Restart Owner", ["rollovers_mode"] = 2 }), Admin)).AssertOk();
        await fixture.Server.RestartAsync();
        await fixture.Server.WaitUntilPricedAsync();
        await using var again = await fixture.ConnectAsync();
        var after = (await again.CallAsync("GetConfig", new { }, Admin)).Data();
        Assert.Equal(("Restart Owner", 2), (after.GetProperty("owner").GetString(), after.GetProperty("rollovers_mode").GetInt32()));
        // The stop and the new start are in the audit log.
        var stops = await again.CallAsync("GetLogs", new { from = 0, to = 4_102_444_800L, limit = 10, offset = 0, action = "ServerStop" }, Admin);
        Assert.True(stops.Data().GetProperty("count").GetInt64() >= 1, stops.GetRawText());
    }
}
