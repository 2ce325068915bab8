using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Dealwire.ManagerApi.Protocol;

/// <summary>The kinds of entity the Manager API names by id; each kind has its own UUID space.</summary>
public enum EntityKind : byte
{
    Trader = 1,
    Account = 2,
    Position = 3,
    Order = 4,
    Trade = 5,
    BalanceOperation = 6,
}

/// <summary>Outcome of reading an id a client sent.</summary>
public enum IdReadStatus
{
    Ok,
    /// <summary>The value has the wrong JSON shape for this layout (answered with <c>invalid_message_format</c>).</summary>
    BadShape,
    /// <summary>Well-shaped, but no Dealwire number can be derived (answered with <c>convert_id_error</c>).</summary>
    NotConvertible,
    /// <summary>
    /// A well-formed id that names nothing Dealwire has: a seed string that is not one of its numbers, a
    /// UUID Dealwire did not make for this kind. Read as <see cref="ManagerIds.NoSuchEntity"/>, so the
    /// request answers what it answers for any missing entity (<c>account_not_found</c>, an empty list).
    /// </summary>
    Unknown,
}

/// <summary>
/// Maps Dealwire's numeric ids (logins, tickets, ledger ids) to the Manager API's ids and back, with no
/// stored table, so the mapping is the same after every restart:
/// the seed layout uses the decimal number as a string; the newer layout uses an RFC 9562 version-8
/// ("custom") UUID that carries the kind and the number in clear, so a UUID reads back into the number
/// without a lookup: <c>6477000K-0000-8000-8NNN-NNNNNNNNNNNN</c> (K = kind, N = the number in hex, 62 bits).
/// </summary>
public static class ManagerIds
{
    private const byte Marker0 = 0x64; // 'd'
    private const byte Marker1 = 0x77; // 'w'
    private const long MaxNumber = (1L << 62) - 1;

    /// <summary>The number an unknown id reads as: no account, ticket or ledger entry has it (they start at 1).</summary>
    public const long NoSuchEntity = -1;

    public static Guid ToUuid(EntityKind kind, long number)
    {
        if (number < 0 || number > MaxNumber) throw new ArgumentOutOfRangeException(nameof(number));
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        bytes[0] = Marker0;
        bytes[1] = Marker1;
        bytes[3] = (byte)kind;
        bytes[6] = 0x80; // version 8
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], number);
        bytes[8] |= 0x80; // RFC 9562 variant (10xx)
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The number a Dealwire UUID of <paramref name="kind"/> carries; false for any other UUID.</summary>
    public static bool TryFromUuid(EntityKind kind, Guid uuid, out long number)
    {
        number = 0;
        Span<byte> bytes = stackalloc byte[16];
        if (!uuid.TryWriteBytes(bytes, bigEndian: true, out _)) return false;
        if (bytes[0] != Marker0 || bytes[1] != Marker1 || bytes[2] != 0 || bytes[3] != (byte)kind
            || bytes[4] != 0 || bytes[5] != 0 || bytes[6] != 0x80 || bytes[7] != 0 || (bytes[8] & 0xC0) != 0x80) return false;
        bytes[8] &= 0x3F;
        number = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]);
        return true;
    }

    public static string SeedId(long number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a seed-layout id: a decimal string ("1001") or a JSON integer. The seed's ids are strings, so
    /// any other string is simply an id Dealwire does not have (<see cref="IdReadStatus.Unknown"/>).
    /// </summary>
    public static IdReadStatus ReadSeed(JsonElement value, out long number)
    {
        number = 0;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0) return IdReadStatus.Ok;
                number = NoSuchEntity;
                return IdReadStatus.Unknown;
            case JsonValueKind.Number:
                return value.TryGetInt64(out number) && number > 0 ? IdReadStatus.Ok : IdReadStatus.NotConvertible;
            default:
                return IdReadStatus.BadShape;
        }
    }

    /// <summary>
    /// Reads a newer-layout id: <c>{"uuid": "..."}</c> or <c>{"id": 123}</c>. Any UUID is a valid id; one
    /// Dealwire did not make for <paramref name="kind"/> names nothing (<see cref="IdReadStatus.Unknown"/>).
    /// Text that is not a UUID, or a number no UUID can carry, is <see cref="IdReadStatus.NotConvertible"/>.
    /// </summary>
    public static IdReadStatus ReadNewer(EntityKind kind, JsonElement value, out long number)
    {
        number = 0;
        if (value.ValueKind != JsonValueKind.Object) return IdReadStatus.BadShape;
        if (value.TryGetProperty("uuid", out var uuid) && uuid.ValueKind != JsonValueKind.Null)
        {
            if (uuid.ValueKind != JsonValueKind.String) return IdReadStatus.BadShape;
            if (!Guid.TryParse(uuid.GetString(), out var guid)) return IdReadStatus.NotConvertible;
            if (TryFromUuid(kind, guid, out number) && number > 0) return IdReadStatus.Ok;
            number = NoSuchEntity;
            return IdReadStatus.Unknown;
        }
        if (value.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            if (id.ValueKind != JsonValueKind.Number) return IdReadStatus.BadShape;
            return id.TryGetInt64(out number) && number > 0 && number <= MaxNumber ? IdReadStatus.Ok : IdReadStatus.NotConvertible;
        }
        return IdReadStatus.BadShape;
    }
}
