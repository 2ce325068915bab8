using System.Buffers.Text;
using System.Text.Json;

namespace Dealwire.Engine.Model;

/// <summary>
/// A decimal as UTF-8 text, byte for byte what <c>decimal.TryFormat(utf8, default, InvariantCulture)</c> and
/// <see cref="Utf8JsonWriter.WriteNumber(ReadOnlySpan{byte}, decimal)"/> write (every digit of the scale kept:
/// 1.08500 stays <c>1.08500</c>; a negative zero is written without its sign). The runtime spells the 96-bit integer
/// out through a general number buffer; every price, balance and profit the server writes has an integer part that fits
/// 64 bits, which this formats directly, in about half the time. Through a JSON writer the member's name and separator
/// cost the same either way: a trade's fifteen money members take 0.90× the runtime's time (<c>DecimalWireBenchmarks</c>);
/// the history store's money text, which needs no writer, gains the whole difference. The round-trip profile had the
/// runtime's decimal formatting at 5 % of the server's CPU (docs/performance.md, session 23). <c>DecimalUtf8Tests</c>
/// holds it to the runtime's bytes. For compact writers: a raw value gets no indentation.
/// </summary>
public static class DecimalUtf8
{
    /// <summary>Sign, 29 digits and a point.</summary>
    public const int MaxLength = 31;

    public static int Format(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            if (!Utf8Formatter.TryFormat(value, destination, out var written)) throw new ArgumentException($"{MaxLength} bytes are needed", nameof(destination));
            return written;
        }
        var integer = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        var digits = 1;
        for (var rest = integer; rest >= 10; rest /= 10) digits++;
        var negative = bits[3] < 0 && integer != 0;
        var length = (negative ? 1 : 0) + Math.Max(digits - scale, 1) + (scale > 0 ? scale + 1 : 0);
        if (length > destination.Length) throw new ArgumentException($"{MaxLength} bytes are needed", nameof(destination));
        // From the last digit back: the scale's digits (leading zeros included), the point, then the whole part (at
        // least one digit, so 0.05 keeps its 0).
        var at = length;
        for (var i = 0; i < scale; i++) destination[--at] = NextDigit(ref integer);
        if (scale > 0) destination[--at] = (byte)'.';
        do destination[--at] = NextDigit(ref integer);
        while (integer != 0);
        if (negative) destination[--at] = (byte)'-';
        return length;
    }

    private static byte NextDigit(ref ulong integer)
    {
        var quotient = integer / 10;
        var digit = (byte)('0' + (int)(integer - quotient * 10));
        integer = quotient;
        return digit;
    }

    /// <summary>The same member <see cref="Utf8JsonWriter.WriteNumber(ReadOnlySpan{byte}, decimal)"/> writes.</summary>
    public static void WriteDecimal(this Utf8JsonWriter writer, ReadOnlySpan<byte> name, decimal value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        var length = Format(value, text);
        writer.WritePropertyName(name);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>The same value <see cref="Utf8JsonWriter.WriteNumberValue(decimal)"/> writes.</summary>
    public static void WriteDecimalValue(this Utf8JsonWriter writer, decimal value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        writer.WriteRawValue(text[..Format(value, text)], skipInputValidation: true);
    }
}
