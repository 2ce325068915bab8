using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dealwire.Engine.Core;

/// <summary>SHA-256 over a canonical sequence of values. Decimals are normalised so 1.0 and 1.00 hash alike.</summary>
internal sealed class StateHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[16];

    public void Add(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer, value);
        _hash.AppendData(_buffer, 0, 8);
    }

    public void Add(bool value) => Add(value ? 1L : 0L);

    public void Add(decimal value)
    {
        // Dividing by 1.000… strips trailing zeros: equal values give equal bits.
        var normalised = value / 1.000000000000000000000000000000000m;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(normalised, bits);
        foreach (var b in bits) Add(b);
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
        _hash.AppendData(Encoding.UTF8.GetBytes(value));
    }

    public string Finish() => Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();

    public void Dispose() => _hash.Dispose();
}
