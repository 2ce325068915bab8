using System.Collections.Frozen;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// The range of every numeric request field, by wire name, checked by <see cref="DataReader"/> on every read so
/// no handler can forget: a value outside answers 400 INVALID_DATA "&lt;field&gt; is out of range" before any
/// handler arithmetic or engine conversion can overflow. A field not named here still gets the generic bound
/// (integers within ±<see cref="EntityIds.Max"/>, decimals within ±10^15), so nothing reaches a handler that a
/// JSON client could not read back exactly. Handlers keep their own, narrower business checks.
/// Documented in docs/server-api.md ("Numeric ranges").
/// </summary>
internal static class FieldRanges
{
    /// <summary>Unix seconds up to 3000-01-01: far past any expiry, far below what a millisecond clock overflows at.</summary>
    public const long MaxUnixSeconds = 32_503_680_000;

    /// <summary>Volumes in wire units (100 = 1 lot): up to a million lots.</summary>
    public const long MaxVolume = 100_000_000;

    /// <summary>Distances and markups in points.</summary>
    public const long MaxPoints = 1_000_000;

    /// <summary>Money, rates and any other decimal without its own rule.</summary>
    public const decimal MaxDecimal = 1_000_000_000_000_000m;

    private static readonly (long Min, long Max) Id = (0, EntityIds.Max);
    private static readonly (long Min, long Max) Time = (0, MaxUnixSeconds);
    // A deal's volume may be negative here: the trade handlers answer that with RET_TRADE_BAD_VOLUME, as documented.
    private static readonly (long Min, long Max) Volume = (-MaxVolume, MaxVolume);
    private static readonly (long Min, long Max) LotLimit = (0, MaxVolume);
    private static readonly (long Min, long Max) Points = (-MaxPoints, MaxPoints);
    private static readonly (long Min, long Max) Generic = (-EntityIds.Max, EntityIds.Max);

    private static readonly FrozenDictionary<string, (long Min, long Max)> Integers = new Dictionary<string, (long, long)>
    {
        // Ids: what every protocol can carry (see EntityIds).
        ["login"] = Id, ["logins"] = Id, ["order"] = Id, ["orders"] = Id, ["trade"] = Id, ["ticket"] = Id,
        ["position"] = Id, ["user_id"] = Id, ["agent_account"] = Id, ["customer_id"] = Id, ["manager_id"] = Id,
        // Times: Unix seconds on this wire.
        ["open_time"] = Time, ["close_time"] = Time, ["expiration"] = Time, ["exp_time"] = Time,
        ["from"] = Time, ["to"] = Time, ["time"] = Time, ["create_time"] = Time,
        ["volume"] = Volume, ["lot_min"] = LotLimit, ["lot_max"] = LotLimit, ["lot_step"] = LotLimit, ["max_volume"] = LotLimit,
        ["spread"] = Points, ["spread_diff"] = Points, ["spread_balance"] = Points, ["stops_level"] = Points,
        ["freeze_level"] = Points, ["bid_markup"] = Points, ["ask_markup"] = Points,
        ["leverage"] = (0, 10_000), ["default_leverage"] = (0, 10_000),
        ["digits"] = (0, 8), ["currency_digits"] = (0, 8),
        ["open_hour"] = (0, 24), ["close_hour"] = (0, 24), ["open_min"] = (0, 59), ["close_min"] = (0, 59),
        ["sec_index"] = (0, int.MaxValue), ["parent_sec_index"] = (-1, int.MaxValue), ["sym_index"] = (0, int.MaxValue),
        ["maxpositions"] = (0, int.MaxValue),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static long Check(string name, long value)
    {
        var (min, max) = Integers.TryGetValue(BaseName(name), out var range) ? range : Generic;
        if (value < min || value > max) throw ProtocolException.InvalidData($"{name} is out of range");
        return value;
    }

    public static decimal Check(string name, decimal value)
    {
        if (value is < -MaxDecimal or > MaxDecimal) throw ProtocolException.InvalidData($"{name} is out of range");
        return value;
    }

    /// <summary>The rule of an array's items is the array's: <c>logins[3]</c> → <c>logins</c>.</summary>
    private static string BaseName(string name)
    {
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? name : name[..bracket];
    }

    /// <summary>The integer rule of a field (for the docs table and tests).</summary>
    internal static (long Min, long Max) RangeOf(string name) => Integers.TryGetValue(BaseName(name), out var r) ? r : Generic;
}
