using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Dealwire.ManagerApi.Tests.Infrastructure;

/// <summary>A raw-socket Manager API client: writes lines, reads lines, nothing clever.</summary>
public sealed class ManagerClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _next;

    private ManagerClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    /// <summary>
    /// How long a read waits for a message that must come: an upper bound only (it costs nothing when the message is
    /// there), generous because CI runs every test project at once on two cores.
    /// </summary>
    public const int DefaultTimeoutMs = 15_000;

    public static async Task<ManagerClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new ManagerClient(tcp);
    }

    /// <summary>Raw lines as received, for byte-level assertions.</summary>
    public List<string> Received { get; } = new();

    public async Task SendRawAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends a client message and returns its message_id.</summary>
    public async Task<string> SendAsync(string name, string body = "{}")
    {
        var id = "m-" + Interlocked.Increment(ref _next);
        await SendRawAsync($"{{\"message_id\":\"{id}\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"{name}\":{body}}}}}}}\r\n");
        return id;
    }

    /// <summary>Next line as JSON; throws on timeout or closed connection.</summary>
    public async Task<JsonElement> ReadAsync(int timeoutMs = DefaultTimeoutMs)
    {
        var line = await ReadLineAsync(timeoutMs) ?? throw new IOException("connection closed");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    public async Task<string?> ReadLineAsync(int timeoutMs = DefaultTimeoutMs)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var line = await _reader.ReadLineAsync(cts.Token);
        if (line is not null) Received.Add(line);
        return line;
    }

    /// <summary>Sends a request and returns the reply carrying its id (events read meanwhile are kept in <paramref name="skipped"/>).</summary>
    public async Task<JsonElement> RequestAsync(string name, string body = "{}", List<JsonElement>? skipped = null)
    {
        var id = await SendAsync(name, body);
        while (true)
        {
            var message = await ReadAsync();
            if (message.TryGetProperty("message_response_id", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == id) return message;
            skipped?.Add(message);
        }
    }

    /// <summary>server_message of a reply.</summary>
    public async Task<JsonElement> CallAsync(string name, string body = "{}") =>
        ServerMessage(await RequestAsync(name, body));

    public async Task<JsonElement> AuthAsync(string secret, string? idRepresentation = null)
    {
        var body = idRepresentation is null
            ? $"{{\"secret_key\":\"{secret}\"}}"
            : $"{{\"secret_key\":\"{secret}\",\"id_representation\":\"{idRepresentation}\"}}";
        return await CallAsync("auth_request", body);
    }

    /// <summary>Reads until a message satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, int timeoutMs = DefaultTimeoutMs)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            if (left <= 0) throw new TimeoutException("no matching message");
            var message = await ReadAsync(left);
            if (match(message)) return message;
        }
    }

    /// <summary>True when the server closed the connection within the timeout.</summary>
    public async Task<bool> ClosedWithinAsync(int timeoutMs)
    {
        try
        {
            while (true)
            {
                if (await ReadLineAsync(timeoutMs) is null) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static JsonElement ServerMessage(JsonElement envelope) =>
        envelope.GetProperty("message_type").GetProperty("server_message");

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
