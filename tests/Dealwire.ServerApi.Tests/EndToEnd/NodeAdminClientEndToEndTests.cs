using System.Diagnostics;
using System.Globalization;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// tests/node/admin-client.mjs: issue #15's chart edits, manager records and a trader's own export, called the way a
/// vendor client does (rows read by the structure's names, replies matched by extID).
/// </summary>
[Trait("Category", "Slow")] // a node process
[Collection(RealServerCollection.Name)]
public sealed class NodeAdminClientEndToEndTests(RealServerFixture fixture)
{
    [Fact]
    public async Task A_node_client_edits_charts_manages_managers_and_exports_as_a_trader()
    {
        await using var c = await fixture.ConnectAsync();
        var added = await c.CallAsync("AddUser", new { group = "demo", name = "Node admin", email = "na@example.com", password = "secret1", leverage = 100, enable = 1 }, fixture.AdminToken);
        added.AssertOk();
        var login = added.Data().GetProperty("login").GetInt64();
        (await c.CallAsync("BalanceInSync", new { login, amount = 75m }, fixture.AdminToken)).AssertOk();

        var script = Path.Combine(AppContext.BaseDirectory, "node", "admin-client.mjs");
        Assert.True(File.Exists(script), script);
        var start = new ProcessStartInfo("node",
        [
            script, fixture.Port.ToString(CultureInfo.InvariantCulture), fixture.Server.HttpPort.ToString(CultureInfo.InvariantCulture),
            fixture.AdminToken, login.ToString(CultureInfo.InvariantCulture),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node client failed: {await output} {await errors}");
        Assert.Contains("\"ok\":true", await output, StringComparison.Ordinal);
    }
}
