using System.Net.Sockets;
using System.Text;

namespace Dealwire.Testing;

/// <summary>
/// A raw-socket client for line protocols (JSON per line ending in CR LF): send lines or raw bytes,
/// read lines with timeouts, wait for a line matching a predicate. Lines are returned without CR LF;
/// <see cref="LastRawLine"/> keeps the exact bytes of the last line read, terminator included.
/// </summary>
public sealed class LineClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _pending = new();
    private int _pendingStart;

    private LineClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Default wait for a line.</summary>
    /// <summary>This end's address as the server sees it ("127.0.0.1:54321"): the source of its audit rows.</summary>
    public string LocalEndPointText() => _client.Client.LocalEndPoint switch
    {
        System.Net.IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new System.Net.IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        { } other => other.ToString() ?? "",
        null => "",
    };

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The bytes of the last line returned, including its terminator.</summary>
    public byte[] LastRawLine { get; private set; } = [];

    public Socket Socket => _client.Client;

    public static async Task<LineClient> ConnectAsync(int port, string host = "127.0.0.1")
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host, port);
        return new LineClient(client);
    }

    /// <summary>Sends <paramref name="line"/> followed by CR LF.</summary>
    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The next line (without terminator); throws <see cref="TimeoutException"/> when none arrives in time, <see cref="EndOfStreamException"/> when the server closed.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        while (true)
        {
            if (TryTakeLine(out var line)) return line;
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no line within {(timeout ?? Timeout).TotalMilliseconds} ms");
            }
            catch (IOException ex)
            {
                throw new EndOfStreamException("connection closed by the server", ex);
            }
            if (read == 0) throw new EndOfStreamException("connection closed by the server");
            _pending.Write(_buffer, 0, read);
        }
    }

    /// <summary>Reads lines until one matches; the lines skipped are returned in <paramref name="skipped"/> when given.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> predicate, TimeSpan? timeout = null, List<string>? skipped = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no matching line in time");
            var line = await ReadLineAsync(left);
            if (predicate(line)) return line;
            skipped?.Add(line);
        }
    }

    /// <summary>True when nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> IsSilentAsync(TimeSpan quiet)
    {
        try
        {
            await ReadLineAsync(quiet);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    /// <summary>Whether the server closed the connection (end of stream within the timeout, lines before it discarded).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        try
        {
            while (DateTime.UtcNow < deadline) await ReadLineAsync(deadline - DateTime.UtcNow);
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (TimeoutException)
        {
        }
        return false;
    }

    /// <summary>Reads exactly <paramref name="count"/> raw bytes (after anything already buffered).</summary>
    public async Task<byte[]> ReadRawAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        while (_pending.Length - _pendingStart < count)
        {
            var read = await _stream.ReadAsync(_buffer, cts.Token);
            if (read == 0) throw new EndOfStreamException("connection closed by the server");
            _pending.Write(_buffer, 0, read);
        }
        var result = _pending.GetBuffer().AsSpan(_pendingStart, count).ToArray();
        _pendingStart += count;
        return result;
    }

    private bool TryTakeLine(out string line)
    {
        var data = _pending.GetBuffer().AsSpan(_pendingStart, (int)_pending.Length - _pendingStart);
        var newline = data.IndexOf((byte)'\n');
        if (newline < 0)
        {
            Compact();
            line = "";
            return false;
        }
        LastRawLine = data[..(newline + 1)].ToArray();
        var end = newline > 0 && data[newline - 1] == '\r' ? newline - 1 : newline;
        line = Encoding.UTF8.GetString(data[..end]);
        _pendingStart += newline + 1;
        return true;
    }

    private void Compact()
    {
        if (_pendingStart == 0) return;
        var rest = _pending.GetBuffer().AsSpan(_pendingStart, (int)_pending.Length - _pendingStart).ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
        _pendingStart = 0;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
