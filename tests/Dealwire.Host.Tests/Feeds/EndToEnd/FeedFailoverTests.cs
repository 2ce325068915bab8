using System.Diagnostics;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Feeds.EndToEnd;

/// <summary>Two feeders for one symbol, primary and backup: the backup takes over when the primary goes stale, and hands back.</summary>
public sealed class FeedFailoverTests
{
    private static readonly string[] EurUsd = ["EURUSD"];

    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_backup_takes_over_within_the_stale_limit_and_the_primary_takes_back_when_it_resumes()
    {
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__Feed__Kind"] = "None";
        options.Environment["DEALWIRE__Feed__StaleAfter"] = "00:00:02";
        options.Environment["DEALWIRE__Feed__Sources__0__Name"] = "primary";
        options.Environment["DEALWIRE__Feed__Sources__0__Kind"] = "Feeder";
        options.Environment["DEALWIRE__Feed__Sources__0__Priority"] = "0";
        options.Environment["DEALWIRE__Feed__Sources__1__Name"] = "backup";
        options.Environment["DEALWIRE__Feed__Sources__1__Kind"] = "Feeder";
        options.Environment["DEALWIRE__Feed__Sources__1__Priority"] = "1";
        string primaryKey = "", backupKey = "";
        options.BeforeFirstStart = server =>
        {
            primaryKey = FeedWire.IssueFeederKey(server, "primary");
            backupKey = FeedWire.IssueFeederKey(server, "backup");
            return Task.CompletedTask;
        };
        await using var server = await DealwireProcess.StartAsync(options);
        await using var primary = await FeederClient.ConnectAsync(server, primaryKey);
        await using var backup = await FeederClient.ConnectAsync(server, backupKey);
        await using var viewer = await LineClient.ConnectAsync(server.ServerApiPort);
        await viewer.CallAsync("Subscribe", new { chanels = EurUsd }, server.AdminToken);

        // Primary active: the backup's price is held back; the primary's next price is the sentinel behind it.
        await primary.TickAsync("EURUSD", 1.10000m, 1.10010m);
        await primary.BarrierAsync();
        await backup.TickAsync("EURUSD", 1.10100m, 1.10110m);
        await backup.BarrierAsync();
        // The clock starts before the primary's last price is sent, so it never starts after the server's stale clock
        // (seeing the price first would start it late by the viewer's delay on a loaded machine).
        var silentSince = Stopwatch.StartNew();
        await primary.TickAsync("EURUSD", 1.10001m, 1.10011m);
        var seen = new List<string>();
        await viewer.WaitForAsync(l => l.StartsWith("[\"t\",\"EURUSD\",1.10001,", StringComparison.Ordinal), TimeSpan.FromSeconds(10), seen);
        Assert.DoesNotContain(seen, l => l.StartsWith("[\"t\",\"EURUSD\",1.101", StringComparison.Ordinal));

        // The primary falls silent; the backup keeps ticking every 100 ms and takes over once 2 s have passed.
        using var ticking = new CancellationTokenSource();
        var backupTicks = Task.Run(async () =>
        {
            var i = 0;
            while (!ticking.IsCancellationRequested)
            {
                await backup.TickAsync("EURUSD", 1.10100m + (i++ % 5) * 0.00001m, 1.10110m + (i % 5) * 0.00001m);
                await Task.Delay(100);
            }
        });
        await viewer.WaitForAsync(l => l.StartsWith("[\"t\",\"EURUSD\",1.101", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var takeover = silentSince.Elapsed;
        Assert.InRange(takeover, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(8)); // the 2 s stale limit, plus a loaded machine's scheduling

        // The primary resumes: its price comes through at once, while the backup is still ticking.
        await primary.TickAsync("EURUSD", 1.10002m, 1.10012m);
        await viewer.WaitForAsync(l => l.StartsWith("[\"t\",\"EURUSD\",1.10002,", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await primary.BarrierAsync();
        var standbyBefore = (await FeedWire.SourceHealthAsync(server, "backup")).GetProperty("standby").GetInt64();
        // The backup's next ticks must stand by: wait for the count to move (a loaded machine may pause the ticking task).
        var backupHealth = await FeedWire.SourceHealthAsync(server, "backup");
        for (var deadline = DateTime.UtcNow.AddSeconds(10);
             backupHealth.GetProperty("standby").GetInt64() <= standbyBefore && DateTime.UtcNow < deadline;
             backupHealth = await FeedWire.SourceHealthAsync(server, "backup"))
        {
            await Task.Delay(100);
        }
        Assert.True(backupHealth.GetProperty("standby").GetInt64() > standbyBefore, backupHealth.GetRawText());
        await ticking.CancelAsync();
        await backupTicks;

        var primaryHealth = await FeedWire.SourceHealthAsync(server, "primary");
        Assert.Equal((0, true, 3L), (primaryHealth.GetProperty("priority").GetInt32(), primaryHealth.GetProperty("connected").GetBoolean(),
            primaryHealth.GetProperty("accepted").GetInt64()));
        Assert.Equal(1, backupHealth.GetProperty("priority").GetInt32());
    }
}
