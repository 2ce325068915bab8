using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using Dealwire.LoadTest.Measurement;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Clients;

/// <summary>
/// One Manager API connection in the newer layout, authenticated with a secret key and subscribed to
/// <c>prices</c> and <c>calculate_updates</c>. Counts price items (a frame carries every instrument that
/// changed since the last write) and calculation frames/items; probe connections also time every price
/// item from its feed timestamp (<c>date</c>, Unix ms) to its receipt. Pings every 3 s, as a manager must.
/// </summary>
public sealed class ManagerSubscriber : IDisposable
{
    private static readonly byte[] PriceFrame = "\"last_prices\":{\"update\":["u8.ToArray();
    private static readonly byte[] CalculationFrame = "\"calculate_updates\":["u8.ToArray();
    private static readonly byte[] Date = "\"date\":"u8.ToArray();
    private static readonly byte[] AccountId = "\"account_id\""u8.ToArray();
    private static readonly byte[] Ping = "{\"message_id\":\"ping\",\"message_type\":\"ping\"}\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly bool _probe;
    private byte[] _buffer = new byte[1 << 16];
    private int _kept;
    private long _prices;
    private long _calculationFrames;
    private long _calculationItems;

    private ManagerSubscriber(Socket socket, bool probe)
    {
        _socket = socket;
        _probe = probe;
    }

    public long Prices => Volatile.Read(ref _prices);

    public long CalculationFrames => Volatile.Read(ref _calculationFrames);

    public long CalculationItems => Volatile.Read(ref _calculationItems);

    public bool IsProbe => _probe;

    /// <summary>Feed time → receipt of price items seen while <see cref="Measuring"/> (probes only; read after RunAsync ended).</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Set by the scenario for the measurement window.</summary>
    public bool Measuring { get; set; }

    /// <summary>Connects, authenticates (newer layout) and subscribes; bounded by <paramref name="timeout"/>.</summary>
    public static async Task<ManagerSubscriber> ConnectAsync(int port, string secret, bool probe, TimeSpan timeout)
    {
        var socket = await Loopback.ConnectAsync(port, CancellationToken.None);
        var subscriber = new ManagerSubscriber(socket, probe);
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await socket.SendAsync(Encoding.UTF8.GetBytes(
                $"{{\"message_id\":\"auth\",\"message_type\":{{\"client_message\":{{\"auth_request\":{{\"secret_key\":\"{secret}\",\"id_representation\":\"num_id_preferred\"}}}}}}}}\r\n"), SocketFlags.None);
            var auth = await subscriber.ReadLineAsync(l => l.Contains("\"auth_response\"", StringComparison.Ordinal), cts.Token);
            if (!auth.Contains("\"auth_response\":{\"success\"", StringComparison.Ordinal)) throw new InvalidOperationException($"auth_request failed: {auth}");
            await socket.SendAsync("{\"message_id\":\"sub\",\"message_type\":{\"client_message\":{\"subscribe\":{\"topics\":[\"prices\",\"calculate_updates\"]}}}}\r\n"u8.ToArray(), SocketFlags.None);
            var sub = await subscriber.ReadLineAsync(l => l.Contains("\"subscribe_result\"", StringComparison.Ordinal), cts.Token);
            if (!sub.Contains("\"subscribe_result\":{\"success\":true", StringComparison.Ordinal)) throw new InvalidOperationException($"subscribe failed: {sub}");
            return subscriber;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads and counts until cancelled or the server closes; pings every 3 s meanwhile.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pinger = PingAsync(cancellationToken);
        try
        {
            // Lines already buffered by the handshake (snapshots) are processed first.
            Process(0);
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = await _socket.ReceiveAsync(_buffer.AsMemory(_kept), SocketFlags.None, cancellationToken);
                if (n == 0) return;
                Process(n);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await pinger;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(3000, cancellationToken);
                await _socket.SendAsync(Ping, SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private void Process(int received)
    {
        var receivedMs = _probe && Measuring ? Pacer.NowUnixMs() : 0;
        var span = _buffer.AsSpan(0, _kept + received);
        int newline;
        while ((newline = span.IndexOf((byte)'\n')) >= 0)
        {
            Count(span[..newline], receivedMs);
            span = span[(newline + 1)..];
        }
        if (span.Length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        span.CopyTo(_buffer);
        _kept = span.Length;
    }

    private void Count(ReadOnlySpan<byte> line, double receivedMs)
    {
        var at = line.IndexOf(PriceFrame);
        if (at >= 0)
        {
            var rest = line[(at + PriceFrame.Length)..];
            long items = 0;
            int d;
            while ((d = rest.IndexOf(Date)) >= 0)
            {
                rest = rest[(d + Date.Length)..];
                items++;
                if (receivedMs > 0 && Utf8Parser.TryParse(rest, out long feedMs, out _)) Latency.Record((receivedMs - feedMs) * 1000);
            }
            Volatile.Write(ref _prices, _prices + items);
            return;
        }
        at = line.IndexOf(CalculationFrame);
        if (at < 0) return;
        long calcItems = line[(at + CalculationFrame.Length)..].Count(AccountId);
        Volatile.Write(ref _calculationFrames, _calculationFrames + 1);
        Volatile.Write(ref _calculationItems, _calculationItems + calcItems);
    }

    /// <summary>Handshake reading: returns the first line matching <paramref name="wanted"/>, keeping what follows it buffered.</summary>
    private async Task<string> ReadLineAsync(Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        for (var reads = 0; reads < 10_000; reads++)
        {
            var span = _buffer.AsSpan(0, _kept);
            int newline;
            while ((newline = span.IndexOf((byte)'\n')) >= 0)
            {
                var line = Encoding.UTF8.GetString(span[..newline]);
                span = span[(newline + 1)..];
                if (line.Contains("\"server_message\":{\"error\"", StringComparison.Ordinal)) throw new InvalidOperationException($"Manager API error: {line}");
                if (!wanted(line)) continue;
                span.CopyTo(_buffer);
                _kept = span.Length;
                return line;
            }
            span.CopyTo(_buffer);
            _kept = span.Length;
            if (_kept == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(_kept), SocketFlags.None, cancellationToken);
            if (n == 0) throw new InvalidOperationException("The Manager API closed the connection during the handshake.");
            _kept += n;
        }
        throw new InvalidOperationException("Manager API handshake: no answer after 10 000 reads.");
    }
}
