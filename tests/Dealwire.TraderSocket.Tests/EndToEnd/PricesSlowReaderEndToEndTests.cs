using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dealwire.TraderSocket.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.TraderSocket.Tests.EndToEnd;

/// <summary>
/// Prices to a slow reader are conflated per symbol, never a reason to disconnect: with the synthetic feed at 2000
/// ticks a second per symbol, a prices reader that stops reading for a while stays connected, receives fewer frames
/// over the same time than a reader that keeps up (once the socket buffers are full, the waiting ticks collapse to the
/// latest per symbol; the server logs how many), and once it reads again gets current prices.
/// </summary>
public sealed class PricesSlowReaderEndToEndTests : IAsyncLifetime
{
    /// <summary>Frames the reader that keeps up must see while the other stalls: several times what loopback buffers hold.</summary>
    private const int StallFrames = 60_000;

    private DealwireProcess _server = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server => _key = await TraderSocketFixture.IssueKeyAsync(server, "quotes", "*"),
        };
        options.Environment["DEALWIRE__Feed__TicksPerSecondPerSymbol"] = "2000";
        _server = await DealwireProcess.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_stalled_prices_reader_gets_the_latest_price_per_symbol_and_stays_connected()
    {
        await using var healthy = await TraderClient.ConnectAsync(_server.TraderPricesPort);
        await healthy.AuthenticateAsync(_key);
        using var stop = new CancellationTokenSource();
        var healthyFrames = 0;
        var counting = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if ((await healthy.NextAsync(TimeSpan.FromSeconds(30))).Contains("\"bid_ask\"", StringComparison.Ordinal)) Interlocked.Increment(ref healthyFrames);
                }
            }
            catch (TimeoutException)
            {
            }
        });

        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(IPAddress.Loopback, _server.TraderPricesPort);
        var start = Volatile.Read(ref healthyFrames);
        await stalled.SendAsync(Encoding.UTF8.GetBytes(TraderClient.AuthLine(_key) + "\r\n"));
        // Not reading, answering the heartbeat blindly as a busy client would, until the feed has produced far more than
        // the socket buffers hold (megabytes on loopback), after which the writer cannot write and waiting quotes are
        // conflated: at least 15 s and 60 000 frames to the reader that keeps up (~6 MB). A starved machine runs the
        // feed slower (two CI runs saw 12 000 frames in 15 s, all of which fit in the buffers), so it stalls longer.
        var pong = Encoding.UTF8.GetBytes(TraderClient.PongLine + "\r\n");
        var stalledFor = Stopwatch.StartNew();
        while (stalledFor.Elapsed < TimeSpan.FromSeconds(15)
            || (Volatile.Read(ref healthyFrames) - start < StallFrames && stalledFor.Elapsed < TimeSpan.FromSeconds(120)))
        {
            await stalled.SendAsync(pong);
            await Task.Delay(500);
        }

        // Reads again: everything queued, then prices stamped after the stall ended, for every symbol.
        var resumed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        var stalledFrames = 0;
        var reader = new LineClientOver(stalled);
        while (fresh.Count < FixedPrices.Quotes.Count)
        {
            var line = await reader.ReadLineAsync(TimeSpan.FromSeconds(20));
            if (!Push.Is(TraderClient.Parse(line), "bid_ask", out var price)) continue;
            stalledFrames++;
            if (price.GetProperty("date").GetInt64() >= resumed) fresh.Add(price.GetProperty("id").GetString()!);
        }
        var healthyOverSameTime = Volatile.Read(ref healthyFrames) - start;
        await stop.CancelAsync();

        Assert.DoesNotContain("(quotes) closed", _server.CapturedOutput, StringComparison.Ordinal);
        Assert.True(stalledFrames < healthyOverSameTime,
            $"the stalled reader got {stalledFrames} price frames, the reader that kept up {healthyOverSameTime}: nothing was conflated");
    }

    /// <summary>Lines off a raw socket (the stalled reader's own socket, made before connect to set its buffer).</summary>
    private sealed class LineClientOver(Socket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly StringBuilder _pending = new();

        public async Task<string> ReadLineAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                var text = _pending.ToString();
                var newline = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (newline >= 0)
                {
                    _pending.Remove(0, newline + 2);
                    return text[..newline];
                }
                var read = await socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (read == 0) throw new EndOfStreamException("the server closed the prices connection");
                _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
            }
        }
    }
}
