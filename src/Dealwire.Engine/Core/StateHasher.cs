using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dealwire.Engine.Core;

/// <summary>
/// SHA-256 over a canonical sequence of values. Values are staged in a buffer and hashed in large
/// blocks (the digest of a byte stream does not depend on how it is chunked). Decimals are normalised
/// so 1.0 and 1.00 hash alike.
/// </summary>
internal sealed class StateHasher : IDisposable
{
    // Created on the first flush: a value that fits the buffer (a command's fingerprint) is hashed in one shot.
    private IncrementalHash? _hash;
    private readonly byte[] _buffer;
    private int _used;

    /// <param name="bufferBytes">Staging buffer: large for the whole state, small for one command's fingerprint.</param>
    public StateHasher(int bufferBytes = 64 * 1024) => _buffer = new byte[bufferBytes];

    public void Add(long value)
    {
        Reserve(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), value);
        _used += 8;
    }

    public void Add(bool value) => Add(value ? 1L : 0L);

    /// <summary>
    /// Trailing zeros of the scale are stripped (same bits as dividing by 1.000…, sign of zero kept),
    /// then the four words are hashed as four longs.
    /// </summary>
    public void Add(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        if (mantissa == 0) scale = 0;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        Add((int)(uint)mantissa);
        Add((int)(uint)(mantissa >> 32));
        Add((int)(uint)(mantissa >> 64));
        Add((scale << 16) | (bits[3] & unchecked((int)0x80000000)));
    }

    public void Add(decimal? value)
    {
        Add(value.HasValue);
        if (value.HasValue) Add(value.Value);
    }

    public void Add(string? value)
    {
        value ??= "";
        Add(value.Length);
        var bytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (bytes > _buffer.Length)
        {
            Flush();
            _hash!.AppendData(Encoding.UTF8.GetBytes(value));
            return;
        }
        Reserve(bytes);
        _used += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used));
    }

    public string Finish()
    {
        if (_hash is null) return Convert.ToHexStringLower(SHA256.HashData(_buffer.AsSpan(0, _used)));
        Flush();
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public void Dispose() => _hash?.Dispose();

    private void Reserve(int bytes)
    {
        if (_used + bytes > _buffer.Length) Flush();
    }

    private void Flush()
    {
        _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _hash.AppendData(_buffer, 0, _used);
        _used = 0;
    }
}
