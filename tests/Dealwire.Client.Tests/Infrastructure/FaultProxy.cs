using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dealwire.Client.Tests.Infrastructure;

/// <summary>Which way a frame went through the proxy.</summary>
public enum FrameDirection
{
    ClientToServer,
    ServerToClient,
}

/// <summary>One CR LF-terminated line seen by the proxy.</summary>
public sealed record ProxyFrame(FrameDirection Direction, int Connection, string Text);

/// <summary>
/// A TCP proxy placed between the client and a server to inject faults: it records every frame both ways,
/// drops connections on demand, delays bytes, pauses forwarding, and can refuse new connections (server down).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly object _listenerGate = new();
    private TcpListener _listener;
    private bool _refusing;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Link> _links = [];
    private readonly List<ProxyFrame> _frames = [];
    private Task _acceptLoop;
    private volatile TaskCompletionSource _resume = Completed();
    private int _connections;
    private int _accepted;
    private int _droppedUpTo;

    public FaultProxy(int targetPort)
    {
        TargetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(1024);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_listener);
    }

    /// <summary>The server port behind the proxy; may be changed (e.g. after the server restarts elsewhere).</summary>
    public int TargetPort { get; set; }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Added before each forwarded chunk, both directions (a slow network or server).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, each chunk is forwarded one byte at a time (worst-case fragmentation).</summary>
    public bool Fragment { get; set; }

    /// <summary>When set, the proxy stops listening, so connection attempts are refused (the server is down).</summary>
    public bool RefuseConnections
    {
        get { lock (_listenerGate) return _refusing; }
        set
        {
            lock (_listenerGate)
            {
                if (value == _refusing) return;
                _refusing = value;
                if (value)
                {
                    _listener.Stop();
                    return;
                }
                _listener = new TcpListener(IPAddress.Loopback, Port);
                _listener.Start(1024);
                _acceptLoop = AcceptLoopAsync(_listener);
            }
        }
    }

    /// <summary>When set, new connections are accepted and reset at once (a server that accepts and dies).</summary>
    public bool ResetNewConnections { get; set; }

    /// <summary>Connections accepted and linked to the server so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Accept times of linked connections (to check reconnect spreading).</summary>
    public List<DateTime> AcceptTimes { get; } = [];

    public IReadOnlyList<ProxyFrame> Frames
    {
        get { lock (_frames) return [.. _frames]; }
    }

    public IReadOnlyList<string> ClientFrames => [.. Frames.Where(f => f.Direction == FrameDirection.ClientToServer).Select(f => f.Text)];

    public IReadOnlyList<string> ServerFrames => [.. Frames.Where(f => f.Direction == FrameDirection.ServerToClient).Select(f => f.Text)];

    /// <summary>Stops forwarding (bytes stay buffered in the sockets) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        if (_resume.Task.IsCompleted) _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Resume() => _resume.TrySetResult();

    /// <summary>Waits until <paramref name="count"/> connections have been linked to the server (so a drop hits them).</summary>
    public Task WaitForConnectionsAsync(int count) => Eventually.TrueAsync(() => ConnectionCount >= count, $"{count} connections were linked");

    /// <summary>Resets every open connection, both sides.</summary>
    public void DropAll()
    {
        // Connections accepted but still being linked to the server are dropped as soon as they are linked.
        Volatile.Write(ref _droppedUpTo, Volatile.Read(ref _accepted));
        Link[] links;
        lock (_links) links = [.. _links];
        foreach (var link in links) link.Drop();
    }

    private static TaskCompletionSource Completed()
    {
        var tcs = new TaskCompletionSource();
        tcs.SetResult();
        return tcs;
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            if (ResetNewConnections)
            {
                client.Close(0);
                continue;
            }
            _ = LinkAsync(client, Interlocked.Increment(ref _accepted));
        }
    }

    private async Task LinkAsync(Socket client, int sequence)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, TargetPort), _stop.Token);
        }
        catch (Exception)
        {
            // Server down: the client sees its connection closed, as it would without a proxy.
            client.Close(0);
            server.Dispose();
            return;
        }
        client.NoDelay = true;
        var id = Interlocked.Increment(ref _connections);
        lock (AcceptTimes) AcceptTimes.Add(DateTime.UtcNow);
        var link = new Link(client, server);
        lock (_links) _links.Add(link);
        if (sequence <= Volatile.Read(ref _droppedUpTo)) link.Drop();
        await Task.WhenAll(
            PumpAsync(client, server, FrameDirection.ClientToServer, id, link),
            PumpAsync(server, client, FrameDirection.ServerToClient, id, link));
        lock (_links) _links.Remove(link);
    }

    private async Task PumpAsync(Socket from, Socket to, FrameDirection direction, int id, Link link)
    {
        var buffer = new byte[16 * 1024];
        var line = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                await _resume.Task.WaitAsync(_stop.Token);
                if (Delay > TimeSpan.Zero) await Task.Delay(Delay, _stop.Token);
                Record(direction, id, line, Encoding.UTF8.GetString(buffer, 0, read));
                if (Fragment)
                {
                    for (var i = 0; i < read; i++) await to.SendAsync(buffer.AsMemory(i, 1), SocketFlags.None, _stop.Token);
                }
                else
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception)
        {
            // Either side went away.
        }
        link.Drop();
    }

    private void Record(FrameDirection direction, int id, StringBuilder pending, string chunk)
    {
        pending.Append(chunk);
        var text = pending.ToString();
        int end;
        lock (_frames)
        {
            while ((end = text.IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
            {
                _frames.Add(new ProxyFrame(direction, id, text[..end]));
                text = text[(end + 2)..];
            }
        }
        pending.Clear().Append(text);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        lock (_listenerGate) _listener.Stop();
        DropAll();
        Resume();
        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
            // Stopped.
        }
    }

    private sealed class Link(Socket client, Socket server)
    {
        private int _dropped;

        public void Drop()
        {
            if (Interlocked.Exchange(ref _dropped, 1) == 1) return;
            foreach (var s in new[] { client, server })
            {
                try
                {
                    s.LingerState = new LingerOption(true, 0);
                    s.Close();
                }
                catch (Exception)
                {
                    // Already closed.
                }
            }
        }
    }
}
