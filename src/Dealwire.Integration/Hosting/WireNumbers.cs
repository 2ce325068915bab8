namespace Dealwire.Integration.Hosting;

/// <summary>
/// The vendor's contracts carry money, prices and lots as <c>double</c>; Dealwire keeps them as <c>decimal</c>.
/// Coming in, a double becomes the shortest decimal that round-trips it (0.1 stays 0.1, not 0.1000000000000000055…);
/// going out, a decimal becomes the nearest double. NaN and infinities are not numbers any request may carry.
/// </summary>
public static class WireNumbers
{
    public static bool TryDecimal(double value, out decimal result)
    {
        result = 0;
        if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > 7.9e27) return false;
        // "R" formatting is the shortest text that parses back to the same double.
        return decimal.TryParse(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out result);
    }

    public static double ToDouble(decimal value) => (double)value;

    /// <summary>Lots → centi-lots (the engine's volume unit): positive, in steps of 0.01; null otherwise.</summary>
    public static int? Volume(double lots)
    {
        if (!TryDecimal(lots, out var l)) return null;
        var volume = l * 100m;
        if (volume <= 0 || volume != decimal.Truncate(volume) || volume > int.MaxValue) return null;
        return (int)volume;
    }

    /// <summary>Account ids are Dealwire logins in decimal; anything else names no account.</summary>
    public static long? Login(string? id) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var login) && login > 0 ? login : null;

    public static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ulong Time(long unixMs) => unixMs > 0 ? (ulong)unixMs : 0;
}
