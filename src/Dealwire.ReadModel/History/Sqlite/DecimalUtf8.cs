using System.Buffers.Text;

namespace Dealwire.ReadModel.History.Sqlite;

/// <summary>
/// A decimal as UTF-8 text, byte for byte what <c>decimal.TryFormat(utf8, default, InvariantCulture)</c> writes (every
/// digit of the scale kept: 1.08500 stays <c>1.08500</c>; a negative zero is written without its sign). The runtime
/// spells the 96-bit integer out through a general number buffer; every price, balance and profit the server stores has
/// an integer part that fits 64 bits, which this formats directly: a closed deal's fifteen money values in 0.64× the
/// runtime's time (<c>DecimalTextBenchmarks</c>). The SQLite history's money text (<see cref="MoneyText"/>) is its only
/// user, so it lives beside it. JSON does not use it: through a <c>Utf8JsonWriter</c>, a member written from this text
/// cost as much as the writer's own <c>WriteNumber</c> (1.02–1.07×, session 23). <c>DecimalUtf8Tests</c> holds it to the
/// runtime's bytes.
/// </summary>
internal static class DecimalUtf8
{
    /// <summary>Sign, 29 digits and a point.</summary>
    public const int MaxLength = 31;

    public static int Format(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            return Utf8Formatter.TryFormat(value, destination, out var written) ? written : throw TooShort();
        }
        var integer = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        var digits = 1;
        for (var rest = integer; rest >= 10; rest /= 10) digits++;
        var negative = bits[3] < 0 && integer != 0;
        var length = (negative ? 1 : 0) + Math.Max(digits - scale, 1) + (scale > 0 ? scale + 1 : 0);
        if (length > destination.Length) throw TooShort();
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

    private static ArgumentException TooShort() => new($"{MaxLength} bytes are needed", "destination");

    private static byte NextDigit(ref ulong integer)
    {
        var quotient = integer / 10;
        var digit = (byte)('0' + (int)(integer - quotient * 10));
        integer = quotient;
        return digit;
    }
}
