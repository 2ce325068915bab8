using System.Diagnostics;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// Runs tests/node/classify-client.mjs, which classifies every line the way the official Node/PHP
/// clients do and fails on anything they would drop or mis-route, against a live gateway.
/// </summary>
[Trait("Category", "Slow")] // a node process
public sealed class NodeClientTests
{
    [Fact]
    public async Task The_official_client_classification_accepts_every_line_of_a_full_scenario()
    {
        await using var host = await GatewayHost.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "node", "classify-client.mjs");
        Assert.True(File.Exists(script), script);
        var start = new ProcessStartInfo("node", [script, host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), host.AdminToken,
            host.DemoLogin.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        using var ticking = new CancellationTokenSource();
        var ticks = Task.Run(async () =>
        {
            var i = 0;
            while (!ticking.IsCancellationRequested)
            {
                await host.TickAsync("EURUSD", 1.1m + (i % 50) * 0.00001m, 1.10002m + (i % 50) * 0.00001m);
                i++;
                await Task.Delay(20);
            }
        });
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        await ticking.CancelAsync();
        await ticks;
        Assert.True(node.ExitCode == 0, $"node client failed: {output} {errors}");
        Assert.Contains("\"ok\":true", output);
    }
}
