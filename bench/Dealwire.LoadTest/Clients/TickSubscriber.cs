using System.Net.Sockets;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Clients;

/// <summary>What a probe connection saw of one quote: its tape index, the wire time field and when it arrived.</summary>
public readonly record struct ProbeSample(int Index, long WireSeconds, double ReceivedUnixMs);

/// <summary>
/// One subscriber connection. Ordinary connections only count lines (a vectorised newline count, so the
/// load generator stays cheap); probe connections also decode every quote and timestamp it on arrival.
/// <see cref="LinesPerDelivery"/> is 1 for the Server API and 7 for a Redis pub/sub message (RESP array of 3 bulk strings).
/// </summary>
public sealed class TickSubscriber(Socket socket, TickTape tape, bool probe, int linesPerDelivery)
{
    private long _lines;
    private readonly List<ProbeSample> _samples = probe ? new(1 << 16) : [];

    public int LinesPerDelivery => linesPerDelivery;

    public long Deliveries => Volatile.Read(ref _lines) / linesPerDelivery;

    public bool IsProbe => probe;

    /// <summary>Probe samples (read after <see cref="RunAsync"/> ended).</summary>
    public IReadOnlyList<ProbeSample> Samples => _samples;

    public Socket Socket => socket;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[probe ? 1 << 16 : 1 << 15];
        var kept = 0;
        var skipFirst = true; // the handshake may have consumed half a line
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(kept), SocketFlags.None, cancellationToken);
                if (n == 0) return;
                if (!probe)
                {
                    Volatile.Write(ref _lines, _lines + buffer.AsSpan(0, n).Count((byte)'\n'));
                    continue;
                }
                var received = Pacer.NowUnixMs();
                var span = buffer.AsSpan(0, kept + n);
                int newline;
                long lines = 0;
                while ((newline = span.IndexOf((byte)'\n')) >= 0)
                {
                    var line = span[..newline];
                    span = span[(newline + 1)..];
                    lines++;
                    if (skipFirst) { skipFirst = false; continue; }
                    if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
                    if (tape.TryDecode(line, out var index, out var seconds)) _samples.Add(new ProbeSample(index, seconds, received));
                }
                Volatile.Write(ref _lines, _lines + lines);
                span.CopyTo(buffer);
                kept = span.Length;
                if (kept == buffer.Length) kept = 0; // a line longer than the buffer is not a quote
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
