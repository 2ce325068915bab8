using System.Net;
using System.Net.Sockets;
using System.Text;
using Dealwire.TraderSocket.Tests.Infrastructure;

namespace Dealwire.TraderSocket.Tests.EndToEnd;

/// <summary>
/// Trading events are never dropped: a reader that stops reading (but keeps answering Pings) is disconnected once its
/// queue passes the byte bound (fixture: 128 KiB), with the reason in the log, while a reader that keeps up receives
/// every event.
/// </summary>
[Collection(TraderSocketCollection.Name)]
public sealed class SlowReaderEndToEndTests(TraderSocketFixture fixture)
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_stalled_trading_reader_is_disconnected_while_a_reader_that_keeps_up_gets_every_event()
    {
        await using var api = await fixture.ServerApiAsync();
        var login = await api.NewAccountAsync("demo", 100m);
        var sentinel = "storm sentinel " + Guid.NewGuid();

        await using var healthy = await fixture.TradingAsync();
        await healthy.AuthenticateAsync(fixture.AllKey);
        var stormSeen = 0;
        var reading = Task.Run(() => healthy.WaitForAsync(m =>
        {
            if (Push.IsOperation(m, "storm")) Interlocked.Increment(ref stormSeen);
            return Push.IsOperation(m, sentinel);
        }, timeout: TimeSpan.FromMinutes(3)));

        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(IPAddress.Loopback, fixture.Server.TraderTradingPort);
        await stalled.SendAsync(Encoding.UTF8.GetBytes(TraderClient.AuthLine(fixture.StalledKey) + "\r\n"));
        // Never reads; answers the heartbeat blindly so that only the byte bound can end it.
        using var stop = new CancellationTokenSource();
        var pongs = Task.Run(async () =>
        {
            var pong = Encoding.UTF8.GetBytes(TraderClient.PongLine + "\r\n");
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await stalled.SendAsync(pong, stop.Token);
                    await Task.Delay(100, stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        });

        const string overflow = "(stalled) closed: outbound queue over 131072 bytes (MaxPendingReplyBytes)";
        var sent = 0;
        // Bursts small enough for the bound; the next one starts when the reader that keeps up has read this one, so
        // only the stalled reader falls behind (by a burst each time, until its queue, socket buffers included, is full).
        for (var burst = 0; burst < 200 && !fixture.Server.CapturedOutput.Contains(overflow, StringComparison.Ordinal); burst++)
        {
            await api.CallManyAsync(Enumerable.Range(0, 100).Select(_ => ("BalanceInSync", (object)new { login, amount = 0.01m, comment = "storm" })));
            sent += 100;
            var caughtUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Volatile.Read(ref stormSeen) < sent && !reading.IsCompleted && DateTime.UtcNow < caughtUp) await Task.Delay(10);
            Assert.False(reading.IsCompleted, "the reader that keeps up stopped: " + (reading.Exception?.ToString() ?? ""));
        }
        await fixture.Server.WaitForOutputAsync(overflow, TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await pongs;

        await api.DepositAsync(login, 1m, sentinel);
        await reading;
        Assert.Equal(sent, Volatile.Read(ref stormSeen));
    }
}
