using System.Net.Sockets;
using System.Text;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Clients;

/// <summary>
/// One Server API connection with many requests in flight: requests are matched to replies by extID
/// (replies may come out of order), outbound lines are batched into few sends.
/// </summary>
public sealed class CommandConnection(Socket socket, string token)
{
    private readonly BatchedSender _sender = new(socket);
    private readonly Dictionary<long, TaskCompletionSource<string>> _pending = [];
    private long _nextId;

    public Socket Socket => socket;

    public void Start(CancellationToken cancellationToken)
    {
        _ = _sender.RunAsync(cancellationToken);
        _ = ReadAsync(cancellationToken);
    }

    public Task<string> SendAsync(string command, string data)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = reply;
        _sender.Enqueue(Encoding.UTF8.GetBytes($"{{\"command\":\"{command}\",\"data\":{data},\"extID\":\"{id}\",\"__token\":\"{token}\"}}\r\n"));
        return reply.Task;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var kept = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(kept), SocketFlags.None, cancellationToken);
                if (n == 0) break;
                var span = buffer.AsSpan(0, kept + n);
                int newline;
                while ((newline = span.IndexOf((byte)'\n')) >= 0)
                {
                    Complete(span[..newline]);
                    span = span[(newline + 1)..];
                }
                if (span.Length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                span.CopyTo(buffer);
                kept = span.Length;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        lock (_pending)
        {
            foreach (var p in _pending.Values) p.TrySetCanceled(CancellationToken.None);
            _pending.Clear();
        }
    }

    private void Complete(ReadOnlySpan<byte> line)
    {
        var key = "\"extID\":\""u8;
        var at = line.IndexOf(key);
        if (at < 0) return; // a pushed quote or event
        var rest = line[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        if (end < 0 || !System.Buffers.Text.Utf8Parser.TryParse(rest[..end], out long id, out _)) return;
        TaskCompletionSource<string>? reply;
        lock (_pending)
        {
            if (!_pending.Remove(id, out reply)) return;
        }
        reply.TrySetResult(Encoding.UTF8.GetString(line));
    }

    /// <summary>The number after <c>"order":</c> in a reply, or 0.</summary>
    public static long Order(string reply)
    {
        var at = reply.IndexOf("\"order\":", StringComparison.Ordinal);
        if (at < 0) return 0;
        var digits = reply.AsSpan(at + 8);
        var len = 0;
        while (len < digits.Length && char.IsAsciiDigit(digits[len])) len++;
        return long.TryParse(digits[..len], out var order) ? order : 0;
    }

    public static bool IsOk(string reply) => reply.Contains("\"status\":200", StringComparison.Ordinal);

    public static Task<Socket> ConnectAsync(int port) => Loopback.ConnectAsync(port, CancellationToken.None);
}
