using System.Buffers;

namespace Dealwire.Gateway.Framing;

/// <summary>
/// A copy of one received line in a pooled buffer, owned by the command parsed from it. The receive pipe
/// reuses its memory as soon as the read loop advances past a line, while the command may still be reading
/// its fields after awaiting the engine; owning the bytes for the command's lifetime removes that race for
/// every handler at once. Dispose after the reply is written.
/// </summary>
public sealed class PooledLine : IDisposable
{
    private byte[]? _buffer;

    private PooledLine(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledLine))).AsMemory(0, Length);

    public static PooledLine Copy(in ReadOnlySequence<byte> line)
    {
        var length = checked((int)line.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        line.CopyTo(buffer);
        return new PooledLine(buffer, length);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
