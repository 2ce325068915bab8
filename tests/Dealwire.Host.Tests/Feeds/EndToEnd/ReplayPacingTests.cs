using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Feeds.EndToEnd;

/// <summary>
/// An as-fast-as-possible replay (<c>Feed:ReplaySpeed</c> 0) in the real process plays at the pace its quote readers
/// take the quotes: it stops while the only subscriber does not read, and goes on once it reads again.
/// </summary>
[Trait("Category", "Slow")] // a server process of its own
public sealed class ReplayPacingTests
{
    [Fact]
    public async Task A_replay_at_speed_zero_waits_while_its_quote_reader_does_not_read()
    {
        var tape = Path.Combine(Path.GetTempPath(), $"dw-pacing-{Guid.NewGuid():N}.csv");
        var csv = new StringBuilder("symbol,bid,ask,time_ms\n");
        for (var i = 0; i < 2_000; i++)
        {
            var bid = 1.08500m + i % 50 / 100_000m;
            csv.Append(CultureInfo.InvariantCulture, $"{(i % 2 == 0 ? "EURUSD" : "GBPUSD")},{bid},{bid + 0.00010m},{1_700_000_000_000 + i}\n");
        }
        await File.WriteAllTextAsync(tape, csv.ToString());
        try
        {
            var options = new DealwireProcessOptions();
            options.Environment["DEALWIRE__Feed__Kind"] = "Replay";
            options.Environment["DEALWIRE__Feed__ReplayFile"] = tape;
            options.Environment["DEALWIRE__Feed__ReplaySpeed"] = "0";
            options.Environment["DEALWIRE__Feed__ReplayLoop"] = "true";
            options.Environment["DEALWIRE__Feed__ReplayRebaseTime"] = "true";
            await using var server = await DealwireProcess.StartAsync(options);

            // One subscriber with a tiny receive window that reads nothing: its socket, then its queue, fill up.
            using var reader = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await reader.ConnectAsync("127.0.0.1", server.ServerApiPort);
            await reader.SendAsync(Encoding.UTF8.GetBytes($"{{\"command\":\"SubscribeAll\",\"data\":{{}},\"extID\":\"sub\",\"__token\":\"{server.AdminToken}\"}}\r\n"));

            // The engine's tick count stops moving: no tick is produced while the only reader is behind.
            var (held, stalled) = await WaitForAsync(server, moving: false, TimeSpan.FromSeconds(90));
            Assert.True(stalled, $"the replay kept producing ticks for a reader that does not read (last count {held}): {await QuoteFiguresAsync(server)}");
            Assert.True(held > 0);

            // The reader reads again: the replay goes on.
            using var stop = new CancellationTokenSource();
            var drain = Task.Run(async () =>
            {
                var buffer = new byte[1 << 16];
                try
                {
                    while (await reader.ReceiveAsync(buffer, SocketFlags.None, stop.Token) > 0)
                    {
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
            var (after, moving) = await WaitForAsync(server, moving: true, TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await drain;
            Assert.True(moving, $"the replay did not go on once the reader read again (stayed at {after})");
        }
        finally
        {
            File.Delete(tape);
        }
    }

    /// <summary>
    /// Scrapes the ticks the engine processed two seconds apart until they do (<paramref name="moving"/>) or do not
    /// move; the last count, and whether that was seen before <paramref name="timeout"/>.
    /// </summary>
    private static async Task<(double Count, bool Seen)> WaitForAsync(DealwireProcess server, bool moving, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var before = await ProcessedAsync(server);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var now = await ProcessedAsync(server);
            if ((now > before + 100) == moving && (moving || now == before)) return (now, true);
            before = now;
        }
        return (before, false);
    }

    private static readonly string[] Figures = ["dealwire_gateway_quotes_conflated_total", "dealwire_gateway_sent_messages_total", "dealwire_gateway_connections"];

    private static async Task<string> QuoteFiguresAsync(DealwireProcess server)
    {
        using var response = await server.GetAsync("metrics");
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        return string.Join(", ", Figures.SelectMany(n => metrics.Find(n)).Select(s => $"{s.Name}{{{string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value))}}} {s.Value}"));
    }

    private static async Task<double> ProcessedAsync(DealwireProcess server)
    {
        using var response = await server.GetAsync("metrics");
        response.EnsureSuccessStatusCode();
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync()).Value("dealwire_engine_ticks_processed_total");
    }
}
