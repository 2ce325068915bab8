using Dealwire.Security;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>
/// The manager right a command checks for staff sessions, or the stated reason it checks none. There is no
/// default: a command either names its right or says why it needs none (the rights matrix shows both).
/// </summary>
internal sealed record StaffRight
{
    private StaffRight(string? name, string? notNeededBecause)
    {
        Name = name;
        NotNeededBecause = notNeededBecause;
    }

    /// <summary>The right a manager or dealer token must carry; null when none is checked.</summary>
    public string? Name { get; }

    /// <summary>Why no right is checked (shown in the rights matrix).</summary>
    public string? NotNeededBecause { get; }

    public static StaffRight Needs(string right)
    {
        if (!Rights.Known.Contains(right)) throw new ArgumentException($"'{right}' is not a known manager right", nameof(right));
        return new(right, null);
    }

    public static StaffRight NotNeeded(string because)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(because);
        return new(null, because);
    }
}

/// <summary>Who may run a command: session types (SESSION_*) and, for managers and dealers, a right.</summary>
internal sealed class Access
{
    private readonly SessionType[] _types;

    private Access(bool isPublic, StaffRight right, params SessionType[] types)
    {
        IsPublic = isPublic;
        StaffRight = right;
        _types = types;
    }

    /// <summary>No token needed (AuthUser).</summary>
    public bool IsPublic { get; }

    public StaffRight StaffRight { get; }

    public string? Right => StaffRight.Name;

    public IReadOnlyList<SessionType> SessionTypes => _types;

    /// <summary>USER, MANAGER, DEALER, ADMIN (reads the spec opens to everybody; users see their own data).</summary>
    public static Access Everyone(StaffRight right) =>
        new(false, right, SessionType.User, SessionType.Manager, SessionType.Dealer, SessionType.Admin, SessionType.System);

    /// <summary>MANAGER, DEALER, ADMIN.</summary>
    public static Access Staff(StaffRight right) =>
        new(false, right, SessionType.Manager, SessionType.Dealer, SessionType.Admin, SessionType.System);

    public static Access AdminOrManager(StaffRight right) =>
        new(false, right, SessionType.Manager, SessionType.Admin, SessionType.System);

    /// <summary>ADMIN (and SYSTEM): an admin holds every right, so none is checked.</summary>
    public static Access AdminOnly() => new(false, StaffRight.NotNeeded("admin sessions only; an admin holds every right"), SessionType.Admin, SessionType.System);

    public static Access Public(string because) => new(true, StaffRight.NotNeeded(because));

    public void Check(SessionIdentity identity, string command)
    {
        if (Array.IndexOf(_types, identity.Type) < 0)
        {
            throw ProtocolException.NotEnoughRights($"{command} is not allowed for a {identity.Type.ToString().ToLowerInvariant()} session");
        }
        if (Right is not null && identity.IsStaff && !identity.HasRight(Right))
        {
            throw ProtocolException.NotEnoughRights($"{command} needs the {Right} right");
        }
    }
}
