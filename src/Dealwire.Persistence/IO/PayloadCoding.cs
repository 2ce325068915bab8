using System.Text;

namespace Dealwire.Persistence.IO;

/// <summary>
/// Writes the compact primitives of the binary journal codec: LEB128 varints, zig-zag signed varints,
/// decimals as scale/sign byte + mantissa varint, and length-prefixed UTF-8 strings (length + 1, 0 = null).
/// </summary>
internal static class PayloadWriter
{
    public static void Byte(RecordBuffer output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void VarUInt(RecordBuffer output, ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        output.Advance(i);
    }

    public static void VarInt(RecordBuffer output, long value) => VarUInt(output, (ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Exact: scale, sign and all 96 mantissa bits survive (1.10 stays 1.10, not 1.1). Prices take 4–6 bytes instead of 16.</summary>
    public static void Decimal(RecordBuffer output, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var flags = (byte)(scale | (bits[3] < 0 ? 0x80 : 0) | (bits[2] != 0 ? 0x40 : 0));
        Byte(output, flags);
        VarUInt(output, ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        if (bits[2] != 0) VarUInt(output, (uint)bits[2]);
    }

    public static void String(RecordBuffer output, string? value)
    {
        if (value is null)
        {
            Byte(output, 0);
            return;
        }
        var span = output.GetSpan(5 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var bytes = Encoding.UTF8.GetByteCount(value);
        var prefix = VarUIntLength((ulong)bytes + 1);
        WriteVarUInt(span, (ulong)bytes + 1);
        Encoding.UTF8.GetBytes(value, span[prefix..]);
        output.Advance(prefix + bytes);
    }

    private static int VarUIntLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    private static void WriteVarUInt(Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i] = (byte)value;
    }
}

/// <summary>Reads what <see cref="PayloadWriter"/> wrote; any malformed or truncated input throws <see cref="FormatException"/>.</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position == _data.Length;

    public byte Byte()
    {
        if (_position >= _data.Length) throw Truncated();
        return _data[_position++];
    }

    public ulong VarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Byte();
            if (shift == 63 && b > 1) throw new FormatException("A varint overflows 64 bits.");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("A varint is longer than 10 bytes.");
    }

    public long VarInt()
    {
        var raw = VarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int Int32()
    {
        var value = VarInt();
        if (value is < int.MinValue or > int.MaxValue) throw new FormatException($"Value {value} does not fit a 32-bit field.");
        return (int)value;
    }

    public bool Boolean() => Byte() switch
    {
        0 => false,
        1 => true,
        var b => throw new FormatException($"Byte {b} is not a boolean."),
    };

    public decimal Decimal()
    {
        var flags = Byte();
        var scale = (byte)(flags & 0x3F);
        if (scale > 28) throw new FormatException($"Decimal scale {scale} is out of range.");
        var low = VarUInt();
        var high = (flags & 0x40) != 0 ? VarUInt() : 0;
        if (high > uint.MaxValue) throw new FormatException("Decimal mantissa overflows 96 bits.");
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (flags & 0x80) != 0, scale);
    }

    public string? String()
    {
        var prefix = VarUInt();
        if (prefix == 0) return null;
        var length = prefix - 1;
        if (length > (ulong)(_data.Length - _position)) throw Truncated();
        var text = Encoding.UTF8.GetString(_data.Slice(_position, (int)length));
        _position += (int)length;
        return text;
    }

    public string NonNullString() => String() ?? throw new FormatException("A required text field is null.");

    private readonly FormatException Truncated() => new($"The payload ends early (at byte {_position} of {_data.Length}).");
}
