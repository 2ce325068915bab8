using System.Net.Sockets;
using System.Text;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Baselines;

/// <summary>
/// The Redis pub/sub baseline's publisher: the same tick lines, paced the same way, sent as pipelined
/// <c>PUBLISH symbol line</c> commands in raw RESP (no client library) to a local redis-server. Each
/// symbol is a channel; subscribers subscribe to all of them, like SubscribeAll.
/// </summary>
public sealed class RedisFeed(int redisPort)
{
    private const int MaxUnanswered = 2_000;
    private CancellationTokenSource? _feed;
    private Task? _feedTask;
    private Socket? _socket;
    private long _published;
    private long _answered;

    public async Task<double> StartAsync(double rate, int tapeLength)
    {
        var tape = new TickTape(TickTape.Demo, tapeLength);
        _socket = await Loopback.ConnectAsync(redisPort, CancellationToken.None);
        var sender = new BatchedSender(_socket);
        _feed = new CancellationTokenSource();
        var token = _feed.Token;
        _ = sender.RunAsync(token);
        _ = CountRepliesAsync(_socket, token);
        var startMs = Pacer.NowUnixMs();
        var stamp = (long)startMs;
        if (rate > 0)
        {
            _feedTask = Pacer.RunAsync(rate, (i, due) =>
            {
                var index = (int)(i % tape.Length);
                sender.Enqueue(Publish(tape, index, tape.Line(index, (stamp + (long)due) / 1000)));
                _published++;
            }, token);
        }
        else
        {
            _feedTask = Task.Run(async () =>
            {
                for (long i = 0; !token.IsCancellationRequested; i++)
                {
                    while (_published - Volatile.Read(ref _answered) > MaxUnanswered && !token.IsCancellationRequested) await Task.Delay(1, CancellationToken.None);
                    var index = (int)(i % tape.Length);
                    sender.Enqueue(Publish(tape, index, tape.Line(index, (long)Pacer.NowUnixMs() / 1000)));
                    _published++;
                }
            }, CancellationToken.None);
        }
        return startMs;
    }

    private static byte[] Publish(TickTape tape, int index, byte[] line)
    {
        var channel = tape.Symbols[index % tape.Symbols.Count].Name;
        var head = Encoding.ASCII.GetBytes($"*3\r\n$7\r\nPUBLISH\r\n${channel.Length}\r\n{channel}\r\n${line.Length}\r\n");
        return [.. head, .. line, .. "\r\n"u8];
    }

    private async Task CountRepliesAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (n == 0) return;
                Interlocked.Add(ref _answered, buffer.AsSpan(0, n).Count((byte)'\n')); // each reply is one ":<receivers>\r\n"
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
        }
    }

    public async Task StopAsync()
    {
        _feed?.Cancel();
        if (_feedTask is not null) await _feedTask;
        _socket?.Dispose();
    }
}
