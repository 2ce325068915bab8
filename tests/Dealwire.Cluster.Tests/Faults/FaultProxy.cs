using System.Net;
using System.Net.Sockets;

namespace Dealwire.Cluster.Tests.Faults;

/// <summary>
/// A TCP proxy in front of one replica's Raft listener: the address its peers dial (<c>Cluster:Members</c>) is this
/// proxy, the replica binds <c>Cluster:ListenEndpoint</c> behind it. Everything that reaches the replica passes here,
/// so the harness can delay it, drop connections at random, or cut the replica off.
/// </summary>
/// <remarks>
/// TCP does not lose bytes in the middle of a stream, so a "dropped" message is a connection reset (DotNext's
/// transport reconnects), and a partition is a link where nothing passes: open connections are reset and new ones are
/// accepted but never forwarded (the dialler waits and times out, as behind a silent firewall), until the heal.
/// </remarks>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Link> _links = [];
    private readonly Random _random;
    private readonly Task _accepting;
    private Fault _fault = Fault.None;

    public FaultProxy(int port, int target, int seed)
    {
        _target = target;
        _random = new Random(seed);
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = port;
        _accepting = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>What the proxy does now: the harness sets it, <see cref="Heal"/> clears it.</summary>
    public Fault Current
    {
        get { lock (_gate) return _fault; }
    }

    /// <summary>Each chunk waits this long before it passes (both directions, order kept).</summary>
    public void Delay(TimeSpan delay) => Set(Fault.Delayed(delay));

    /// <summary>Each chunk resets its connection with this probability.</summary>
    public void Drop(double probability) => Set(Fault.Dropping(probability));

    /// <summary>Nothing passes: open connections are reset, new ones hang unforwarded.</summary>
    public void Partition() => Set(Fault.Cut);

    public void Heal() => Set(Fault.None);

    private void Set(Fault fault)
    {
        List<Link> reset;
        lock (_gate)
        {
            var wasCut = _fault.Partitioned;
            _fault = fault;
            // Entering a partition resets what is open; leaving it resets the connections held unforwarded, so no stale
            // bytes from inside the partition arrive afterwards.
            reset = fault.Partitioned || wasCut ? [.. _links] : [];
        }
        foreach (var link in reset) link.Close();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = ServeAsync(inbound);
        }
    }

    private async Task ServeAsync(TcpClient inbound)
    {
        var link = new Link(inbound);
        lock (_gate) _links.Add(link);
        try
        {
            if (Current.Partitioned)
            {
                // Held unforwarded until the heal (or the dialler's own timeout) closes it.
                await Task.Delay(Timeout.Infinite, link.Closed);
                return;
            }
            var outbound = new TcpClient { NoDelay = true };
            link.Outbound = outbound;
            await outbound.ConnectAsync(IPAddress.Loopback, _target, link.Closed);
            await Task.WhenAny(PumpAsync(link, inbound.GetStream(), outbound.GetStream()), PumpAsync(link, outbound.GetStream(), inbound.GetStream()));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The target is down (a killed replica) or the link was reset: the dialler sees its connection close.
        }
        finally
        {
            lock (_gate) _links.Remove(link);
            link.Close();
            link.Outbound?.Dispose(); // made after a concurrent close had already run
        }
    }

    private async Task PumpAsync(Link link, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, link.Closed);
            if (read == 0) return;
            var fault = Current;
            if (fault.Partitioned) return;
            if (fault.DropProbability > 0)
            {
                bool drop;
                lock (_gate) drop = _random.NextDouble() < fault.DropProbability;
                if (drop) return;
            }
            if (fault.Latency > TimeSpan.Zero) await Task.Delay(fault.Latency, link.Closed);
            await to.WriteAsync(buffer.AsMemory(0, read), link.Closed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        List<Link> open;
        lock (_gate) open = [.. _links];
        foreach (var link in open) link.Close();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>One proxied connection; closing it resets both sides.</summary>
    private sealed class Link(TcpClient inbound)
    {
        private readonly CancellationTokenSource _closed = new();

        public TcpClient? Outbound { get; set; }

        public CancellationToken Closed => _closed.Token;

        private int _closing;

        public void Close()
        {
            // Called from the fault switch and from the link's own end, possibly at once: once is enough.
            if (Interlocked.Exchange(ref _closing, 1) != 0) return;
            _closed.Cancel();
            // Linger 0: a reset, not a graceful close, as when a middlebox drops the connection.
            foreach (var client in new[] { inbound, Outbound })
            {
                if (client is null) continue;
                try
                {
                    if (client.Client is { } socket) socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
                client.Dispose();
            }
        }
    }
}

/// <summary>What a <see cref="FaultProxy"/> does to the traffic through it.</summary>
internal sealed record Fault(TimeSpan Latency, double DropProbability, bool Partitioned)
{
    public static readonly Fault None = new(TimeSpan.Zero, 0, false);
    public static readonly Fault Cut = new(TimeSpan.Zero, 0, true);

    public static Fault Delayed(TimeSpan latency) => new(latency, 0, false);

    public static Fault Dropping(double probability) => new(TimeSpan.Zero, probability, false);
}
