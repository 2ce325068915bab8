namespace Dealwire.Gateway.Sessions;

/// <summary>
/// Whose events a session receives: a trader its own login, a staff member the groups its mask covers,
/// an administrator every account. The router indexes sessions by it. The mask is a predicate so the
/// gateway core needs no engine type (the protocols pass their <c>GroupMask.Matches</c>).
/// </summary>
public sealed class Audience
{
    private readonly Func<string, bool>? _groups;

    private Audience(AudienceKind kind, long id, string mask, Func<string, bool>? groups)
    {
        Kind = kind;
        Id = id;
        Mask = mask;
        _groups = groups;
    }

    public AudienceKind Kind { get; }

    /// <summary>The trader's login, or the staff member's id.</summary>
    public long Id { get; }

    /// <summary>The group mask as configured (for logs and equality).</summary>
    public string Mask { get; }

    /// <summary>A trader: events of <paramref name="login"/> only.</summary>
    public static Audience Trader(long login) => new(AudienceKind.Trader, login, "", null);

    /// <summary>A manager or dealer: events of accounts in the groups <paramref name="matches"/> accepts.</summary>
    public static Audience Staff(long id, string mask, Func<string, bool> matches) => new(AudienceKind.Staff, id, mask, matches);

    /// <summary>An administrator: every account, including one whose group is not known.</summary>
    public static Audience Administrator(long id) => new(AudienceKind.Administrator, id, "*", null);

    /// <summary>An identity that sees no account (a FIX or CRM session): broadcasts only.</summary>
    public static Audience BroadcastsOnly(long id) => new(AudienceKind.BroadcastsOnly, id, "", null);

    /// <summary>Whether accounts of <paramref name="group"/> are visible (a trader's own account is routed by login).</summary>
    public bool Covers(string? group) => Kind switch
    {
        AudienceKind.Administrator => true,
        AudienceKind.Staff => group is not null && _groups!(group),
        _ => false,
    };

    /// <summary>Same routing (the index need not change when a token is renewed with the same rights).</summary>
    public bool SameAs(Audience? other) =>
        other is not null && other.Kind == Kind && other.Id == Id && string.Equals(other.Mask, Mask, StringComparison.Ordinal);
}

public enum AudienceKind
{
    Trader,
    Staff,
    Administrator,
    BroadcastsOnly,
}
