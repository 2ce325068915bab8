using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// The real process with a third group, <c>fx-only</c>, that trades the Forex symbol group alone, and keys for
/// "fx-desk" (mask <c>fx-only</c>), "netting-desk" (mask <c>demo-netting</c>) and "admin" (every group).
/// </summary>
public sealed class FxDeskFixture : IAsyncLifetime
{
    public DealwireProcess Server { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string FxKey { get; private set; } = "";
    public string NettingKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                AdminKey = await ManagerProcessFixture.IssueKeyAsync(server, "admin", "*");
                FxKey = await ManagerProcessFixture.IssueKeyAsync(server, "fx-desk", "fx-only");
                NettingKey = await ManagerProcessFixture.IssueKeyAsync(server, "netting-desk", "demo-netting");
            },
        }.WithFixedPrices();
        options.Environment["DEALWIRE__ManagerApi__HeartbeatTimeoutSeconds"] = "60";
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
        Assert.Equal(200, (await ServerApiAsync("AddGroup", FxGroup("fx-only", leverage: 100))).GetProperty("status").GetInt32());
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<ManagerClient> ConnectAsync() => ManagerClient.ConnectAsync(Server.ManagerApiPort);

    /// <summary>A group trading symbol group 0 (Forex) only.</summary>
    public static object FxGroup(string name, int leverage) => new
    {
        group = name, company = "Dealwire", currency = "USD", enable = 1, margin_call = 100, margin_mode = 0, margin_type = 0,
        margin_stopout = 50, default_leverage = leverage, default_deposit = 0,
        secgroups = new object[] { new { sec_index = 0, show = 1, trade = 1, lot_min = 1, lot_max = 10000, lot_step = 1 } },
        secmargins = Array.Empty<object>(),
    };

    /// <summary>One Server API command as the admin, over a raw socket; returns the reply.</summary>
    public async Task<JsonElement> ServerApiAsync(string command, object data)
    {
        await using var c = await LineClient.ConnectAsync(Server.ServerApiPort);
        var extId = "cfg-" + Guid.NewGuid().ToString("N")[..8];
        await c.SendAsync(JsonSerializer.Serialize(new { command, data, extID = extId, __token = Server.AdminToken }));
        var line = await c.WaitForAsync(l => l.Contains($"\"extID\":\"{extId}\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }
}

/// <summary>Issue #11 item 1: a masked manager's trading_settings show only the groups of its mask and what they trade.</summary>
public sealed class TradingSettingsMaskEndToEndTests(FxDeskFixture fixture) : IClassFixture<FxDeskFixture>
{
    private static readonly string[] Kinds = ["trading_groups", "trading_instruments", "trading_profiles", "trading_markups", "day_off_profiles", "collateral"];

    /// <summary>Subscribes in the newer layout and returns the six settings snapshots by kind.</summary>
    private static async Task<Dictionary<string, JsonElement>> SnapshotAsync(ManagerClient c)
    {
        var confirm = await c.CallAsync("subscribe", "{\"topics\":[\"trading_settings\"]}");
        Assert.True(confirm.At("subscribe_result.success").GetBoolean());
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < Kinds.Length; i++)
        {
            var message = ManagerClient.ServerMessage(await c.ReadAsync());
            var kind = message.Keys()[0];
            result[kind] = message.At(kind + ".snapshot");
        }
        Assert.Equal(Kinds, result.Keys);
        return result;
    }

    private static string[] Ids(JsonElement items) => items.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_masked_manager_sees_only_its_groups_and_the_instruments_they_trade()
    {
        await using var admin = await fixture.ConnectAsync();
        await admin.AuthAsync(fixture.AdminKey, "num_id_preferred");
        var all = await SnapshotAsync(admin);
        Assert.Equal(["TestGroup", "demo", "demo-netting", "fx-only"], Ids(all["trading_groups"]));
        Assert.Equal(6, all["trading_instruments"].GetArrayLength());

        await using var fx = await fixture.ConnectAsync();
        await fx.AuthAsync(fixture.FxKey, "num_id_preferred");
        var mine = await SnapshotAsync(fx);
        Assert.Equal(["fx-only"], Ids(mine["trading_groups"]));
        Assert.Equal(["fx-only"], Ids(mine["trading_profiles"]));
        Assert.Equal(["fx-only"], Ids(mine["trading_markups"]));
        // fx-only trades symbol group 0 alone: the metal, the index and the crypto CFD stay hidden.
        Assert.Equal(["EURUSD", "GBPUSD", "USDJPY"], Ids(mine["trading_instruments"]));
        Assert.DoesNotContain(mine["day_off_profiles"].EnumerateArray(), d => d.GetRawText().Contains("XAUUSD", StringComparison.Ordinal));

        await using var netting = await fixture.ConnectAsync();
        await netting.AuthAsync(fixture.NettingKey, "num_id_preferred");
        var theirs = await SnapshotAsync(netting);
        Assert.Equal(["demo-netting"], Ids(theirs["trading_groups"]));
        Assert.DoesNotContain("demo\"", theirs["trading_profiles"].GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settings_update_of_another_group_shows_a_masked_manager_only_its_own()
    {
        await using var fx = await fixture.ConnectAsync();
        await fx.AuthAsync(fixture.FxKey, "num_id_preferred");
        await SnapshotAsync(fx);

        // The "demo" group changes: the fx desk's update lists its own group, never "demo".
        var demo = FxDeskFixture.FxGroup("demo", leverage: 200);
        Assert.Equal(200, (await fixture.ServerApiAsync("UpdateGroup", demo)).GetProperty("status").GetInt32());
        var update = ManagerClient.ServerMessage(await fx.WaitForAsync(m => ManagerClient.ServerMessage(m).TryGetProperty("trading_groups", out _)));
        var text = update.GetRawText();
        Assert.Contains("\"fx-only\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"demo\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"demo-netting\"", text, StringComparison.Ordinal);
    }
}
