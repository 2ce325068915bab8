using System.Diagnostics;
using System.Globalization;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>tests/node/classify-client.mjs (the official clients' line classification) against the real process.</summary>
[Trait("Category", "Slow")] // a node process
[Collection(RealServerCollection.Name)]
public sealed class NodeClientEndToEndTests(RealServerFixture fixture)
{
    [Fact]
    public async Task The_official_client_classification_accepts_every_line_the_real_server_sends()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "node", "classify-client.mjs");
        Assert.True(File.Exists(script), script);
        var start = new ProcessStartInfo("node",
        [
            script, fixture.Port.ToString(CultureInfo.InvariantCulture), fixture.AdminToken,
            RealServerFixture.HedgingLogin.ToString(CultureInfo.InvariantCulture),
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
