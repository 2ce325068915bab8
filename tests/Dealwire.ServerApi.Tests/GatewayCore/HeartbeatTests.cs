using System.Text;

namespace Dealwire.ServerApi.Tests.GatewayCore;

/// <summary>
/// The Server API's heartbeat: off by default (the protocol documents none over TCP), and when configured
/// (<c>ServerApi:HeartbeatTimeout</c>, the same knob as the Manager API's) a silent connection is closed
/// with <c>408 RET_IDLE_TIMEOUT</c> while one that keeps sending stays open.
/// </summary>
[Trait("Category", "Slow")] // waits in real time for heartbeat timeouts
public sealed class HeartbeatTests
{
    [Fact]
    public async Task A_configured_heartbeat_closes_a_silent_connection_and_traffic_keeps_another_open()
    {
        // 3 s against a blank line every 300 ms: the busy connection survives a loaded CI machine pausing its sender.
        await using var host = await GatewayHost.StartAsync(new() { ["ServerApi:HeartbeatTimeout"] = "00:00:03" });
        await using var busy = await host.ConnectAsync();
        await using var silent = await host.ConnectAsync();
        // The busy connection sends a blank line every 300 ms from the start, for longer than the timeout.
        using var stop = new CancellationTokenSource();
        var keepAlive = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await busy.SendRawAsync(Encoding.UTF8.GetBytes(" \r\n"));
                await Task.Delay(300);
            }
        });
        (await silent.CallAsync("SubscribeAll", null, host.AdminToken)).AssertOk();

        // Skip pushed quotes: the close is the first object with extID null.
        System.Text.Json.JsonElement closing;
        do
        {
            closing = Wire.Parse(await silent.ReadLineAsync(TimeSpan.FromSeconds(20)));
        }
        while (closing.ValueKind != System.Text.Json.JsonValueKind.Object
            || closing.GetProperty("extID").ValueKind != System.Text.Json.JsonValueKind.Null);
        closing.AssertError(408, ServerApi.Transport.ServerApiConnectionHandler.IdleTimeoutError);
        Assert.Contains("heartbeat timeout", closing.GetProperty("message").GetString());
        Assert.True(await silent.IsClosedByServerAsync());

        // The silent one took over the timeout to close; the busy one is still served.
        await stop.CancelAsync();
        await keepAlive;
        (await busy.CallAsync("SubscribeAll", null, host.AdminToken)).AssertOk();
    }
}
