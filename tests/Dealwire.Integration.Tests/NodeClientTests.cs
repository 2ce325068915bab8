using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Dealwire.Integration.Tests;

/// <summary>
/// A third-party client: tests/node/grpc-integration-client.mjs (@grpc/grpc-js + @grpc/proto-loader loading the
/// repository's protos/yft at run time) against the real process. npm installs the packages (scripts/setup.sh runs
/// <c>npm ci</c> in tests/node).
/// </summary>
[Trait("Category", "Slow")] // a node process
[Collection(IntegrationCollection.Name)]
public sealed class NodeClientTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task The_grpc_js_client_creates_funds_lists_and_trades_with_the_repositorys_protos()
    {
        var script = FindScript();
        var modules = Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "@grpc", "grpc-js");
        Assert.True(Directory.Exists(modules), $"@grpc/grpc-js is not installed: run `npm ci` in tests/node (scripts/setup.sh does). Looked in {modules}");
        var login = IntegrationFixture.NewLogin();
        var start = new ProcessStartInfo("node", [script, fixture.Server.IntegrationPort.ToString(CultureInfo.InvariantCulture), fixture.CrmKey, login])
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

        var result = JsonDocument.Parse((await output).Trim()).RootElement;
        Assert.Equal(login, result.GetProperty("created").GetString());
        Assert.Equal("grpc-js", result.GetProperty("metadata").GetString());
        Assert.Equal(750.25, result.GetProperty("balance").GetDouble());
        Assert.Equal("ProcessIdDuplicate", result.GetProperty("repeated").GetString());
        Assert.True(result.GetProperty("repeatedOperation").GetBoolean());
        Assert.Equal(login, Assert.Single(result.GetProperty("listed").EnumerateArray()).GetString());
        Assert.Equal("Sell", result.GetProperty("side").GetString());
        Assert.Equal(1.1, result.GetProperty("openPrice").GetDouble()); // a sell fills at the bid
        Assert.Equal(result.GetProperty("positionId").GetString(), Assert.Single(result.GetProperty("positions").EnumerateArray()).GetString());
        Assert.Equal(100_000, Assert.Single(result.GetProperty("lotSize").EnumerateArray()).GetDouble());
        Assert.True(result.GetProperty("unauthenticated").GetBoolean());
    }

    /// <summary>tests/node in the source tree, where npm installed the packages (node resolves them beside the script).</summary>
    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tests", "node", "grpc-integration-client.mjs");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"tests/node/grpc-integration-client.mjs not found above {AppContext.BaseDirectory}");
    }
}
