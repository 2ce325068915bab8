using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Dealwire.Cluster.Gateway;

/// <summary>What a frame of the gateway link carries (docs/replication.md "Gateway link").</summary>
internal enum LinkKind : byte
{
    /// <summary>Gateway → replica, first frame: the link key (empty when the replica has none).</summary>
    Hello = 1,

    /// <summary>Gateway → replica: send every committed batch after this sequence, then follow the live edge.</summary>
    Follow = 2,

    /// <summary>Replica → gateway: one committed batch (<c>BatchPayload</c>, the bytes a Raft entry carries).</summary>
    Batch = 3,

    /// <summary>Replica → gateway, every few hundred ms: its published sequence and the leader it knows of.</summary>
    Status = 4,

    /// <summary>Gateway → replica: a client's command (<c>BatchPayload</c> of one unsequenced command) with a correlation id.</summary>
    Forward = 5,

    /// <summary>Replica → gateway: the outcome of a forwarded command.</summary>
    Result = 6,

    /// <summary>Replica → gateway: the link is refused (bad key, a sequence it cannot serve); the replica closes it.</summary>
    Refused = 7,

    /// <summary>Replica → gateway, after a good Hello: the link is open; the body names the replica.</summary>
    Welcome = 8,
}

/// <summary>
/// Framing of the gateway link: a 4-byte little-endian body length, one <see cref="LinkKind"/> byte, the body. Bodies are
/// written with <see cref="BinaryWriter"/> (strings length-prefixed UTF-8). Writers share one lock per connection.
/// </summary>
internal sealed class LinkConnection : IAsyncDisposable
{
    /// <summary>The largest body accepted: a batch of 4 096 large commands fits many times over.</summary>
    public const int MaxBody = 64 * 1024 * 1024;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly byte[] _header = new byte[5];

    public LinkConnection(TcpClient client)
    {
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
    }

    public string Remote => _client.Client.RemoteEndPoint?.ToString() ?? "unknown";

    public static async Task<LinkConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new LinkConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task WriteAsync(LinkKind kind, Action<BinaryWriter> body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        buffer.Write(new byte[5]);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) body(writer);
        var frame = buffer.GetBuffer();
        BinaryPrimitives.WriteInt32LittleEndian(frame, (int)buffer.Length - 5);
        frame[4] = (byte)kind;
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(frame.AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>The next frame; null at a clean end of stream. Throws <see cref="InvalidDataException"/> on a bad length or kind.</summary>
    public async Task<(LinkKind Kind, byte[] Body)?> ReadAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < _header.Length)
        {
            var n = await _stream.ReadAsync(_header.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0) return null;
                throw new EndOfStreamException("The gateway link closed inside a frame header.");
            }
            read += n;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        var kind = (LinkKind)_header[4];
        if (length is < 0 or > MaxBody) throw new InvalidDataException($"A gateway link frame of {length} bytes is out of bounds.");
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown gateway link frame kind {(byte)kind}.");
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return (kind, body);
    }

    public static BinaryReader Reader(byte[] body) => new(new MemoryStream(body, writable: false), Encoding.UTF8);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
