using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Dealwire.Client.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.Client.Tests.EndToEnd;

/// <summary>Scenarios that restart the server or run the seed sample, each with its own server process.</summary>
[Trait("Category", "Slow")] // a server process per test, crashed and restarted
public sealed class RestartAndSampleTests
{
    [Fact]
    public async Task A_server_crash_and_restart_mid_stream_fails_in_flight_calls_reconnects_and_restores_quotes()
    {
        await using var process = await DealwireProcess.StartAsync();
        var options = ClientFactory.Options($"127.0.0.1:{process.ServerApiPort}", o =>
        {
            o.Token = process.AdminToken;
            o.AutoSubscribe = ["EURUSD", "XAUUSD"];
            o.Reconnect = new ReconnectPolicy { MinDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };
            // Calls queued while the server restarts wait for it: on a loaded CI machine a restart can outlast the 10 s default.
            o.RequestTimeout = TimeSpan.FromSeconds(60);
        });
        await using var client = await ServerApiClient.ConnectAsync(options);
        var reconnected = new TaskCompletionSource<ReconnectedEventArgs>();
        client.Reconnected += (_, e) => reconnected.TrySetResult(e);
        using var quotes = client.Quotes.ForSymbol("XAUUSD");
        await quotes.Reader.NextAsync(TimeSpan.FromSeconds(20));
        var created = await client.CreateAccountAsync(new NewAccount { Group = "demo", Name = "Durable", Password = "pass123", Email = "d@example.com" });

        // kill -9 and start again on the same data directory and ports. (A graceful SIGTERM restart is not used:
        // the server currently waits for open Server API connections to end before it stops.)
        await process.KillAsync();
        var restart = process.RestartAsync();
        // Calls made during the restart either fail as ConnectionLost (sent before the drop) or succeed after it — never hang.
        var during = Enumerable.Range(0, 20).Select(_ => client.GetAccountAsync(created.Login)).ToArray();
        await restart;
        var e = await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(e.Downtime > TimeSpan.Zero);
        foreach (var call in during)
        {
            try
            {
                Assert.Equal(created.Login, (await call.WaitAsync(TimeSpan.FromSeconds(90))).Login);
            }
            catch (ConnectionLostException)
            {
                // Sent on the connection that the restart closed.
            }
        }
        while (quotes.Reader.TryRead(out _)) { }
        Assert.Equal("XAUUSD", (await quotes.Reader.NextAsync(TimeSpan.FromSeconds(20))).Symbol);
        Assert.Equal("Durable", (await client.GetAccountAsync(created.Login)).Name);
    }

    [Fact]
    public async Task The_seed_sample_runs_against_a_local_server_and_prints_quotes_and_the_created_user()
    {
        await using var process = await DealwireProcess.StartAsync();
        // The seed creates its user in "TestGroup", which the embedded default has: the sample runs unchanged.
        var sample = Path.Combine(DealwireBinary.RepositoryRoot, "samples", "SeedExample", "bin", DealwireBinary.Configuration, "net10.0", "SeedExample.dll");
        Assert.True(File.Exists(sample), $"build the sample first: {sample}");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add(sample);
        start.Environment["DEALWIRE_HOST"] = $"127.0.0.1:{process.ServerApiPort}";
        start.Environment["DEALWIRE_TOKEN"] = process.AdminToken;
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await run.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
        }

        var text = await output;
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{text}\n{await errors}");
        Assert.Contains("✓ Subscribed to GBPUSD", text, StringComparison.Ordinal);
        Assert.Matches(@"\[QUOTE\] EURUSD: \d+\.\d{5}/\d+\.\d{5} @ ", text);
        Assert.Matches(@"\[QUOTE\] GBPUSD: ", text);
        Assert.Matches("✓ User created: \\{.*\"login\":\\d+", text);
        Assert.Contains("✓ Unsubscribed from BTCUSD", text, StringComparison.Ordinal);
        Assert.Contains("Shutting down...", text, StringComparison.Ordinal);
    }
}
