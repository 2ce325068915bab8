namespace Dealwire.ReadModel.History.Sqlite;

/// <summary>
/// Money as the history store keeps it in SQLite: invariant text with at least one digit after the point and no
/// trailing zeros beyond it (<c>decimal.ToString("0.0###########################")</c>), formatted into UTF-8 without
/// the custom-format parser or a string (<see cref="DecimalUtf8"/>, then trimmed): 1.08500 → <c>1.085</c>, 10 →
/// <c>10.0</c>, −0.11 → <c>-0.11</c>, any zero → <c>0.0</c>.
/// </summary>
internal static class MoneyText
{
    /// <summary>Sign, 29 digits, point, and the ".0" a whole number gets.</summary>
    public const int MaxLength = 40;

    private static ReadOnlySpan<byte> Zero => "0.0"u8;

    public static int Format(decimal value, Span<byte> destination)
    {
        if (value == 0)
        {
            // The custom format writes no sign for a zero (decimal keeps a negative zero: -0.00m).
            Zero.CopyTo(destination);
            return Zero.Length;
        }
        var length = DecimalUtf8.Format(value, destination);
        var point = destination[..length].IndexOf((byte)'.');
        if (point < 0)
        {
            destination[length++] = (byte)'.';
            destination[length++] = (byte)'0';
            return length;
        }
        while (length > point + 2 && destination[length - 1] == (byte)'0') length--;
        return length;
    }
}
