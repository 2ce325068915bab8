namespace Dealwire.ServerApi.Wire;

/// <summary>Engine times are Unix milliseconds; every time on this wire is Unix seconds.</summary>
internal static class WireTime
{
    public static long ToSeconds(long unixMs) => unixMs <= 0 ? 0 : unixMs / 1000;

    /// <summary>Seconds from a request to engine milliseconds; 0 stays "not given".</summary>
    public static long ToMilliseconds(long unixSeconds) => unixSeconds <= 0 ? 0 : checked(unixSeconds * 1000);
}
