using System.Text.RegularExpressions;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>Stopping, crashing and restarting the real process on the same data directory.</summary>
[Trait("Category", "Slow")] // starts, kills and restarts server processes
public class LifecycleTests
{
    [Fact]
    public async Task Sigterm_stops_gracefully_and_restarts_keep_the_key_and_the_token()
    {
        await using var server = await DealwireProcess.StartAsync();
        var token = server.AdminToken;
        var key = File.ReadAllText(Path.Combine(server.DataDir, "keys", "jwt-signing.key"));

        Assert.Equal(0, await server.StopAsync());
        Assert.Contains("Engine stopped at state Stopped", server.CapturedOutput);

        await server.RestartAsync();
        Assert.Equal("ok", (await server.GetHealthAsync()).GetProperty("status").GetString());

        // kill -9: no shutdown code runs, yet the next start comes up on the same data directory.
        await server.KillAsync();
        Assert.True(server.HasExited);
        await server.RestartAsync();
        Assert.Equal("Running", (await server.GetHealthAsync()).GetProperty("engine").GetString());

        Assert.Equal(key, File.ReadAllText(Path.Combine(server.DataDir, "keys", "jwt-signing.key")));
        Assert.Equal(token, File.ReadAllText(Path.Combine(server.DataDir, "admin-token.txt")).Trim());
        Assert.Single(Regex.Matches(server.StandardOutput, "DEMO ADMIN TOKEN"));
    }

    [Fact]
    public async Task Dispose_kills_the_process_and_deletes_the_data_directory()
    {
        var server = await DealwireProcess.StartAsync();
        var pid = server.ProcessId;
        var dataDir = server.DataDir;
        await server.DisposeAsync();

        Assert.False(Directory.Exists(dataDir));
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }
}
