using System.Net.Sockets;
using System.Text;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Baselines;

/// <summary>
/// The transport ceiling: a server that does nothing but what fan-out physically needs — it answers the
/// subscription, then copies each tick line (serialised once) into every subscriber's outbound buffer,
/// sent in batches like Dealwire's. No engine, no JSON parsing, no permissions: whatever Dealwire reaches
/// relative to this is the cost of being a trading server.
/// </summary>
public sealed class TransportCeilingServer(int port)
{
    private readonly List<BatchedSender> _subscribers = [];
    private BatchedSender[] _snapshot = [];
    private CancellationTokenSource? _feed;
    private Task? _feedTask;

    public Task ListenAsync(CancellationToken cancellationToken) => Loopback.AcceptAsync(port, ServeAsync, cancellationToken);

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        // Read the subscription line, answer it, then only write.
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains('\n'))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0) return;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        var sender = new BatchedSender(socket);
        sender.Enqueue(EchoServer.ReplyFor(text.ToString().Split('\n')[0].TrimEnd('\r')));
        lock (_subscribers)
        {
            _subscribers.Add(sender);
            _snapshot = [.. _subscribers];
        }
        await sender.RunAsync(cancellationToken);
        socket.Dispose();
    }

    /// <summary>Starts feeding the tape; rate 0 = as fast as the slowest subscriber drains (bounded buffers). Returns the start in Unix ms.</summary>
    public double Start(double rate, int tapeLength)
    {
        var tape = new TickTape(TickTape.Demo, tapeLength);
        _feed = new CancellationTokenSource();
        var token = _feed.Token;
        var startMs = Pacer.NowUnixMs();
        var stamp = (long)startMs;
        var crlf = "\r\n"u8.ToArray();
        if (rate > 0)
        {
            _feedTask = Pacer.RunAsync(rate, (i, due) =>
            {
                var line = tape.Line((int)(i % tape.Length), (stamp + (long)due) / 1000);
                byte[] frame = [.. line, .. crlf];
                foreach (var s in _snapshot) s.Enqueue(frame);
            }, token);
        }
        else
        {
            _feedTask = Task.Run(async () =>
            {
                for (long i = 0; !token.IsCancellationRequested; i++)
                {
                    byte[] frame = [.. tape.Line((int)(i % tape.Length), (long)Pacer.NowUnixMs() / 1000), .. crlf];
                    foreach (var s in _snapshot)
                    {
                        // Back-pressure instead of conflation: wait while a subscriber has 256 KB unsent.
                        while (!s.Closed && s.PendingBytes > 256 * 1024 && !token.IsCancellationRequested) await Task.Delay(1, CancellationToken.None);
                        s.Enqueue(frame);
                    }
                }
            }, CancellationToken.None);
        }
        return startMs;
    }

    public async Task StopAsync()
    {
        _feed?.Cancel();
        if (_feedTask is not null) await _feedTask;
    }
}
