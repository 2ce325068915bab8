using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Dealwire.Engine.Model;

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

    /// <summary>Body length (4 bytes) and kind (1 byte).</summary>
    private const int HeaderSize = 5;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly byte[] _header = new byte[HeaderSize];

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

    /// <summary>A control frame: a small body written field by field.</summary>
    public Task WriteAsync(LinkKind kind, Action<BinaryWriter> body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        buffer.SetLength(HeaderSize);
        buffer.Position = HeaderSize;
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) body(writer);
        var frame = buffer.GetBuffer();
        BinaryPrimitives.WriteInt32LittleEndian(frame, (int)buffer.Length - HeaderSize);
        frame[4] = (byte)kind;
        return SendAsync(frame.AsMemory(0, (int)buffer.Length), cancellationToken);
    }

    /// <summary>
    /// A payload frame (a committed batch, a forwarded command) built at its exact size: the payload is copied once, after
    /// the correlation id when there is one (little-endian, as <see cref="BinaryWriter"/> writes it).
    /// </summary>
    public static byte[] PayloadFrame(LinkKind kind, long? correlation, ReadOnlySpan<byte> payload)
    {
        var prefix = correlation is null ? 0 : sizeof(long);
        var frame = new byte[HeaderSize + prefix + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, prefix + payload.Length);
        frame[4] = (byte)kind;
        if (correlation is { } id) BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(HeaderSize), id);
        payload.CopyTo(frame.AsSpan(HeaderSize + prefix));
        return frame;
    }

    /// <summary>Writes a whole frame; writers of one connection take turns.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Why a replica refused (the body of a <see cref="LinkKind.Refused"/> frame).</summary>
    public Task WriteRefusedAsync(string reason, CancellationToken cancellationToken) => WriteAsync(LinkKind.Refused, w => w.Write(reason), cancellationToken);

    public static LinkRefusedException Refusal(byte[] body, string? from = null)
    {
        var reason = Reader(body).ReadString();
        return new LinkRefusedException(from is null ? reason : $"{from} refused the link: {reason}");
    }

    /// <summary>A replica's position and the leader it knows (a <see cref="LinkKind.Status"/> frame).</summary>
    public Task WriteStatusAsync(LinkStatus status, CancellationToken cancellationToken) => WriteAsync(LinkKind.Status, w =>
    {
        w.Write(status.Published);
        w.Write(status.LeaderId ?? "");
        w.Write(status.Leads);
    }, cancellationToken);

    public static LinkStatus ReadStatus(byte[] body)
    {
        using var reader = Reader(body);
        var published = reader.ReadInt64();
        var leader = reader.ReadString();
        return new LinkStatus(published, leader.Length > 0 ? leader : null, reader.ReadBoolean());
    }

    /// <summary>The outcome of forwarded command <paramref name="id"/> (a <see cref="LinkKind.Result"/> frame).</summary>
    public Task WriteResultAsync(long id, LinkResult result, CancellationToken cancellationToken) => WriteAsync(LinkKind.Result, w =>
    {
        w.Write(id);
        w.Write((int)result.Code);
        w.Write(result.Sequence);
        w.Write(result.Message);
        w.Write(result.LeaderId ?? "");
    }, cancellationToken);

    public static (long Id, LinkResult Result) ReadResult(byte[] body)
    {
        using var reader = Reader(body);
        var id = reader.ReadInt64();
        var code = (ReturnCode)reader.ReadInt32();
        var sequence = reader.ReadInt64();
        var message = reader.ReadString();
        var leader = reader.ReadString();
        return (id, new LinkResult(code, sequence, message, leader.Length > 0 ? leader : null));
    }

    /// <summary>A <see cref="LinkKind.Forward"/> frame's correlation id and command payload (not copied).</summary>
    public static (long Id, ReadOnlyMemory<byte> Payload) ReadForward(byte[] body) =>
        (BinaryPrimitives.ReadInt64LittleEndian(body), body.AsMemory(sizeof(long)));

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A <see cref="LinkKind.Status"/> frame: the replica's published sequence, the leader it knows, whether it leads.</summary>
internal readonly record struct LinkStatus(long Published, string? LeaderId, bool Leads);

/// <summary>A <see cref="LinkKind.Result"/> frame: a forwarded command's return code, sequence and message, and the leader the replica knows.</summary>
internal readonly record struct LinkResult(ReturnCode Code, long Sequence, string Message, string? LeaderId);

/// <summary>A replica refused the link (its <see cref="LinkKind.Refused"/> frame): the reason is the message.</summary>
internal sealed class LinkRefusedException(string reason) : IOException(reason);
