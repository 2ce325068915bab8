using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Dealwire.ReadModel.History.PostgreSql;

/// <summary>
/// Rows of a binary <c>COPY … FROM STDIN (FORMAT BINARY)</c>, encoded here and handed to Npgsql's raw copy stream in
/// 64 KB writes. Only the types the history tables use: <c>bigint</c>, <c>integer</c>, <c>text</c> and <c>numeric</c>.
/// </summary>
/// <remarks>
/// Npgsql's importer resolves a converter for every value it writes and turns each <see cref="decimal"/> into a
/// <c>numeric</c> through its general path: for the 15 money columns of a deal row that was half of the projector's
/// COPY time (docs/performance.md). The format is PostgreSQL's own (COPY, "Binary Format"): a signature and two
/// 32-bit words, then per row a 16-bit field count and per field a 32-bit length (−1 for NULL) and the value, all in
/// network byte order; a 16-bit −1 ends the data. A <c>numeric</c> is its digit count, weight, sign and display scale
/// (16 bits each) then its base-10 000 digits, most significant first, as <c>numeric_send</c> writes it.
/// <c>PgCopyWriterTests</c> compare every value with what Npgsql's own encoding stores.
/// </remarks>
internal sealed class PgCopyWriter : IDisposable
{
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private static readonly uint[] PowersOfTen = [1, 10, 100, 1000];

    private const short NumericPositive = 0x0000;
    private const short NumericNegative = 0x4000;

    private readonly NpgsqlRawCopyStream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _at;
    private bool _completed;

    private PgCopyWriter(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Signature.CopyTo(_buffer, 0);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(Signature.Length), 0); // flags: no OIDs
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(Signature.Length + 4), 0); // no header extension
        _at = Signature.Length + 8;
    }

    /// <summary>Starts <c>COPY <paramref name="table"/> (<paramref name="columns"/>) FROM STDIN (FORMAT BINARY)</c> on the connection.</summary>
    public static PgCopyWriter Begin(NpgsqlConnection connection, string table, string columns) =>
        new(connection.BeginRawBinaryCopy($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"));

    public void StartRow(int fields)
    {
        var span = Room(2);
        BinaryPrimitives.WriteInt16BigEndian(span, checked((short)fields));
        _at += 2;
    }

    public void Null()
    {
        BinaryPrimitives.WriteInt32BigEndian(Room(4), -1);
        _at += 4;
    }

    public void Long(long value)
    {
        var span = Room(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
        _at += 12;
    }

    public void Int(int value)
    {
        var span = Room(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
        _at += 8;
    }

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var span = Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _at += 4 + length;
    }

    /// <summary>Text already in UTF-8 (the audit images); null is SQL NULL.</summary>
    public void Utf8(byte[]? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var span = Room(4 + value.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, value.Length);
        value.CopyTo(span[4..]);
        _at += 4 + value.Length;
    }

    public void Money(decimal? value)
    {
        if (value is { } v) Money(v);
        else Null();
    }

    /// <summary>
    /// The decimal as a <c>numeric</c> with its own scale as the display scale (1.50 stays 1.50), trailing zero
    /// base-10 000 digits dropped and zero written with no digits, as PostgreSQL keeps it.
    /// </summary>
    public void Money(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = new UInt128((uint)bits[2], (uint)bits[0] | ((ulong)(uint)bits[1] << 32));
        // Scale the mantissa to a whole number of base-10 000 fraction digits (at most ×1000: < 2^106, no overflow).
        var pad = (4 - scale % 4) % 4;
        mantissa *= PowersOfTen[pad];
        var fractionDigits = (scale + pad) / 4;

        // Base-10 000 digits, least significant first: a decimal has at most 29 + 3 decimal digits, so 8.
        Span<short> digits = stackalloc short[8];
        var count = 0;
        if (mantissa <= ulong.MaxValue)
        {
            for (var x = (ulong)mantissa; x != 0; x /= 10_000) digits[count++] = (short)(x % 10_000);
        }
        else
        {
            while (mantissa != 0)
            {
                (mantissa, var digit) = UInt128.DivRem(mantissa, 10_000);
                digits[count++] = (short)digit;
            }
        }
        var lowest = 0;
        while (lowest < count && digits[lowest] == 0) lowest++;
        var kept = count - lowest;
        var weight = kept == 0 ? 0 : count - 1 - fractionDigits;

        var span = Room(4 + 8 + 2 * kept);
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + 2 * kept);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)kept);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)weight);
        BinaryPrimitives.WriteInt16BigEndian(span[8..], kept > 0 && negative ? NumericNegative : NumericPositive);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], (short)scale);
        var at = 12;
        for (var i = count - 1; i >= lowest; i--, at += 2) BinaryPrimitives.WriteInt16BigEndian(span[at..], digits[i]);
        _at += 4 + 8 + 2 * kept;
    }

    /// <summary>Ends the data and the COPY; the rows are in the table once the transaction commits.</summary>
    public void Complete()
    {
        BinaryPrimitives.WriteInt16BigEndian(Room(2), -1);
        _at += 2;
        Flush();
        _completed = true;
        _stream.Dispose();
    }

    /// <summary>Without <see cref="Complete"/> (an exception on the way), the COPY is cancelled: no partial row reaches the server.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            try
            {
                _stream.Cancel();
            }
            finally
            {
                _stream.Dispose();
            }
        }
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>At least <paramref name="size"/> free bytes at <see cref="_at"/>, flushing (or growing, for a long text) first.</summary>
    private Span<byte> Room(int size)
    {
        if (_at + size > _buffer.Length)
        {
            Flush();
            if (size > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(size);
            }
        }
        return _buffer.AsSpan(_at);
    }

    private void Flush()
    {
        if (_at == 0) return;
        _stream.Write(_buffer, 0, _at);
        _at = 0;
    }
}
