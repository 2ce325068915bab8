using System.Net;
using System.Net.Sockets;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that a test can cut: every open connection is reset (RST, as a
/// network failure or a dying server leaves it) and new ones are reset on accept until <see cref="Restore"/>.
/// The shared PostgreSQL cluster keeps running for the other tests; only this test's path to it fails.
/// </summary>
internal sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Socket> _sockets = new();
    private readonly Task _acceptLoop;
    private volatile bool _cut;

    public CuttableTcpProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), targetPort);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted and reset while cut (proof the cut was felt).</summary>
    public int Refused;

    /// <summary>Resets every proxied connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        Socket[] open;
        lock (_gate)
        {
            open = _sockets.ToArray();
            _sockets.Clear();
        }
        foreach (var s in open) Reset(s);
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            if (_cut)
            {
                Interlocked.Increment(ref Refused);
                Reset(client);
                continue;
            }
            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception)
        {
            Reset(client);
            server.Dispose();
            return;
        }
        lock (_gate)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }
        // Either direction ending (or a cut) ends both.
        await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        lock (_gate)
        {
            _sockets.Remove(client);
            _sockets.Remove(server);
        }
        Reset(client);
        Reset(server);
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) return;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Closes with linger 0: the peer gets a reset, not an orderly end of stream.</summary>
    private static void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); } catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try { await _acceptLoop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
