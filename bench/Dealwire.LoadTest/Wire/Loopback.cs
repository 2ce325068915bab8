using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dealwire.LoadTest.Wire;

/// <summary>Loopback-only socket helpers: free ports, connecting, reading a handshake.</summary>
public static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> and serves every accepted connection on its own task.</summary>
    public static async Task AcceptAsync(int port, Func<Socket, CancellationToken, Task> serve, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await listener.AcceptAsync(cancellationToken);
            socket.NoDelay = true;
            _ = serve(socket, cancellationToken);
        }
    }

    public static async Task<Socket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        return socket;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout, Func<bool>? alive = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (alive is not null && !alive()) throw new InvalidOperationException($"The server exited before listening on port {port}.");
            try
            {
                using var s = await ConnectAsync(port, CancellationToken.None);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Nothing listens on 127.0.0.1:{port} after {timeout.TotalSeconds:F0} s.");
    }

    /// <summary>Sends a request and reads until <paramref name="done"/> holds for the text received (bounded in time and size).</summary>
    public static async Task<string> HandshakeAsync(Socket socket, byte[] request, Func<string, bool> done, TimeSpan timeout)
    {
        await socket.SendAsync(request, SocketFlags.None);
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (text.Length < 1 << 20)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0) throw new InvalidOperationException($"Connection closed during the handshake: {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            var s = text.ToString();
            if (done(s)) return s;
        }
        throw new InvalidOperationException("Handshake reply too long.");
    }
}
