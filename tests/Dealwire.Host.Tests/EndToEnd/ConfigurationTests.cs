using System.Net;
using System.Net.Sockets;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>Where settings come from: appsettings.json &lt; --config file &lt; DEALWIRE__ environment &lt; flags.</summary>
[Trait("Category", "Slow")] // a server process of its own per test (each with its own configuration)
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task File_applies_environment_beats_file_and_flags_beat_environment()
    {
        var file = _dir.Combine("dealwire.json");
        File.WriteAllText(file, """
            { "Feed": { "Kind": "None" }, "Host": { "DemoAdminTokenLifetime": "2.00:00:00" } }
            """);
        // The environment's port is held here while the server runs: a server that took it would fail to bind and stop
        // (exit code 3), and no other test's process can start listening on it meanwhile (a CI run had one do so).
        using var held = new TcpListener(IPAddress.Loopback, 0);
        held.Start();
        var envPort = ((IPEndPoint)held.LocalEndpoint).Port;
        var options = new DealwireProcessOptions();
        options.ExtraArguments.AddRange(["--config", file]);
        options.Environment["DEALWIRE__Host__DemoAdminTokenLifetime"] = "3.00:00:00";
        options.Environment["DEALWIRE__Host__HttpPort"] = envPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var server = await DealwireProcess.StartAsync(options);

        // The file switched the feed off.
        var health = await server.GetHealthAsync();
        Assert.Equal("None", health.GetProperty("feed").GetProperty("kind").GetString());
        Assert.Equal(0, health.GetProperty("feed").GetProperty("ticksOffered").GetInt64());
        // The environment's token lifetime beat the file's.
        var identity = (await new TokenService(TokenService.LoadOrCreateKey(server.DataDir)).ValidateAsync(server.AdminToken)).Identity!;
        Assert.InRange(identity.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(2.9), TimeSpan.FromDays(3));
        // The --http-port flag beat the environment's port: health answered on the flag's, and the server started with the
        // environment's port held by this test.
        Assert.NotEqual(envPort, server.HttpPort);
    }

    [Theory]
    [InlineData(new[] { "serve", "--http-port", "abc" }, "abc")]
    [InlineData(new[] { "serve", "--http-port", "70000" }, "--http-port must be between 1 and 65535, not 70000.")]
    [InlineData(new[] { "serve", "--server-api-port", "0" }, "--server-api-port must be between 1 and 65535, not 0.")]
    [InlineData(new[] { "serve", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "serve", "--config", "/nonexistent/dealwire.json" }, "error: Configuration file not found: /nonexistent/dealwire.json")]
    public async Task Bad_flags_fail_fast_with_a_clear_error(string[] args, string message)
    {
        var result = await DealwireCli.RunAsync([.. args, "--data-dir", _dir.Path]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.False(File.Exists(_dir.Combine("admin-token.txt")), "the server must not have started");
    }

    [Theory]
    [InlineData("DEALWIRE__Host__DemoAdminTokenLifetime", "many", "error: Failed to convert configuration value")]
    [InlineData("DEALWIRE__Host__HttpAddress", "localhost:1", "error: Host:HttpAddress is not an IP address: 'localhost:1'.")]
    [InlineData("DEALWIRE__Feed__Kind", "Carrier-pigeon", "error: Failed to convert configuration value")]
    [InlineData("DEALWIRE__Feed__TicksPerSecondPerSymbol", "0", "error: Feed:TicksPerSecondPerSymbol must be a positive number.")]
    [InlineData("DEALWIRE__Feed__Kind", "Replay", "error: Feed:Kind is Replay but Feed:ReplayFile is not set.")]
    public async Task Bad_settings_stop_the_server_with_a_readable_error(string variable, string value, string message)
    {
        var env = new Dictionary<string, string> { [variable] = value };
        var result = await DealwireCli.RunAsync(
            ["serve", "--data-dir", _dir.Path, "--http-port", $"{FreePorts.Take()}", "--server-api-port", $"{FreePorts.Take()}", "--manager-api-port", $"{FreePorts.Take()}"],
            env, _dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
    }

    [Fact]
    public async Task A_busy_http_port_is_reported_and_the_exit_code_is_3()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;
            var result = await DealwireCli.RunAsync(
                ["serve", "--data-dir", _dir.Path, "--http-port", $"{port}", "--server-api-port", $"{FreePorts.Take()}", "--manager-api-port", $"{FreePorts.Take()}"],
                null, _dir.Path);
            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains("error: cannot listen", result.StandardError);
        }
        finally
        {
            busy.Stop();
        }
    }
}
