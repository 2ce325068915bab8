namespace Dealwire.Engine.Model;

/// <summary>
/// The range every id (login, ticket, order, position, ledger id, agent account) must stay within so that
/// every protocol can carry it: JSON clients written in JavaScript (the vendors' Node client) hold numbers as
/// doubles, exact only up to 2^53 − 1, and the Manager API's UUID mapping holds 62 bits. One id outside this
/// range would make every frame that names it unreadable for every client that sees it, so the gateways
/// refuse it with INVALID_DATA and the engine refuses it again.
/// </summary>
public static class EntityIds
{
    /// <summary>2^53 − 1 (9 007 199 254 740 991): the largest integer a JSON double carries exactly.</summary>
    public const long Max = (1L << 53) - 1;

    /// <summary>A client-supplied id: 0 ("none" / "assign one") up to <see cref="Max"/>.</summary>
    public static bool InRange(long id) => id is >= 0 and <= Max;
}
