using System.Buffers;

namespace Dealwire.Persistence.IO;

/// <summary>A growable byte buffer that, unlike ArrayBufferWriter, lets a frame header be filled in after its payload.</summary>
internal sealed class RecordBuffer : IBufferWriter<byte>
{
    private byte[] _array;

    public RecordBuffer(int initialCapacity = 64 * 1024) => _array = new byte[initialCapacity];

    public int Length { get; private set; }

    public Span<byte> Written => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Length);

    public Span<byte> Slice(int start, int length) => _array.AsSpan(start, length);

    public void Clear() => Length = 0;

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(Length);
    }

    private void Ensure(int sizeHint)
    {
        var need = Length + Math.Max(sizeHint, 256);
        if (need <= _array.Length) return;
        Array.Resize(ref _array, Math.Max(need, _array.Length * 2));
    }
}
