using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Dealwire.Client.Tests.Infrastructure;

/// <summary>One request as the scripted server received it.</summary>
public sealed record ReceivedRequest(ServerConnection Connection, string Line, JsonElement Json)
{
    public string Command => Json.GetProperty("command").GetString()!;
    public string ExtId => Json.GetProperty("extID").GetString()!;
    public JsonElement Data => Json.GetProperty("data");
    public string Token => Json.GetProperty("__token").GetString()!;
}

/// <summary>
/// A small server that speaks the Server API wire format (lines ending in CR LF) for unit tests of the client.
/// By default it answers every request with <c>{"extID":…,"status":200,"data":{}}</c>; tests replace
/// <see cref="Responder"/> to script other replies, and push arrays or event objects with <see cref="ServerConnection.SendAsync"/>.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ServerConnection> _connections = [];
    private readonly Channel<ServerConnection> _accepted = Channel.CreateUnbounded<ServerConnection>();
    private readonly Task _acceptLoop;

    public ScriptedServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Every request received, in arrival order, across connections.</summary>
    public Channel<ReceivedRequest> Requests { get; } = Channel.CreateUnbounded<ReceivedRequest>();

    /// <summary>Answers a request; null = do not answer. Default: 200 with an empty object.</summary>
    public Func<ReceivedRequest, string?> Responder { get; set; } = r => Ok(r.ExtId, "{}");

    public int ConnectionCount
    {
        get { lock (_connections) return _connections.Count; }
    }

    public static string Ok(string extId, string dataJson) => $"{{\"extID\":\"{extId}\",\"status\":200,\"data\":{dataJson}}}";

    public static string Error(string extId, int status, string error, string message) =>
        $"{{\"extID\":\"{extId}\",\"status\":{status},\"error\":\"{error}\",\"message\":\"{message}\"}}";

    public async Task<ServerConnection> NextConnectionAsync(TimeSpan? timeout = null) =>
        await _accepted.Reader.ReadAsync(new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10)).Token);

    public async Task<ReceivedRequest> NextRequestAsync(TimeSpan? timeout = null) =>
        await Requests.Reader.ReadAsync(new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10)).Token);

    /// <summary>Next request of a command, skipping others.</summary>
    public async Task<ReceivedRequest> NextRequestAsync(string command, TimeSpan? timeout = null)
    {
        while (true)
        {
            var request = await NextRequestAsync(timeout);
            if (request.Command == command) return request;
        }
    }

    public async Task BroadcastAsync(string line)
    {
        ServerConnection[] all;
        lock (_connections) all = [.. _connections];
        foreach (var c in all.Where(c => !c.IsClosed)) await c.SendAsync(line);
    }

    public void DropAll()
    {
        lock (_connections)
        {
            foreach (var c in _connections) c.Drop();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(_certificate);
                stream = tls;
            }
            var connection = new ServerConnection(socket, stream, this);
            lock (_connections) _connections.Add(connection);
            _accepted.Writer.TryWrite(connection);
            _ = connection.ReadLoopAsync(_stop.Token);
        }
    }

    internal async Task OnLineAsync(ServerConnection connection, string line)
    {
        var request = new ReceivedRequest(connection, line, JsonDocument.Parse(line).RootElement.Clone());
        Requests.Writer.TryWrite(request);
        var reply = Responder(request);
        if (reply is not null) await connection.SendAsync(reply);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        DropAll();
        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
            // Stopped.
        }
    }
}

/// <summary>One accepted client connection of a <see cref="ScriptedServer"/>.</summary>
public sealed class ServerConnection
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly ScriptedServer _server;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    internal ServerConnection(Socket socket, Stream stream, ScriptedServer server)
    {
        _socket = socket;
        _stream = stream;
        _server = server;
    }

    public bool IsClosed { get; private set; }

    /// <summary>Sends one line (CR LF appended).</summary>
    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _writeGate.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            IsClosed = true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Drop()
    {
        IsClosed = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        _socket.Close(0);
    }

    internal async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, cancellationToken);
                if (read == 0) break;
                pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
                var text = pending.ToString();
                int end;
                while ((end = text.IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
                {
                    var line = text[..end];
                    text = text[(end + 2)..];
                    if (line.Length > 0) await _server.OnLineAsync(this, line);
                }
                pending.Clear().Append(text);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // Dropped.
        }
        IsClosed = true;
    }
}
