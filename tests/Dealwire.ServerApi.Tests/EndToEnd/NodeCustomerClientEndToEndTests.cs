using System.Diagnostics;
using System.Globalization;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>tests/node/customer-client.mjs: desks, customers and the account link, called the way a vendor-client back office does.</summary>
[Trait("Category", "Slow")] // a node process
[Collection(RealServerCollection.Name)]
public sealed class NodeCustomerClientEndToEndTests(RealServerFixture fixture)
{
    [Fact]
    public async Task A_node_client_adds_a_customer_and_links_an_account()
    {
        await using var c = await fixture.ConnectAsync();
        var added = await c.CallAsync("AddUser", new { group = "demo", name = "Node CRM", email = "crm@example.com", password = "secret1", leverage = 100, enable = 1 }, fixture.AdminToken);
        added.AssertOk();
        var login = added.Data().GetProperty("login").GetInt64();

        var script = Path.Combine(AppContext.BaseDirectory, "node", "customer-client.mjs");
        Assert.True(File.Exists(script), script);
        var start = new ProcessStartInfo("node", [script, fixture.Port.ToString(CultureInfo.InvariantCulture), fixture.AdminToken, login.ToString(CultureInfo.InvariantCulture)])
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
