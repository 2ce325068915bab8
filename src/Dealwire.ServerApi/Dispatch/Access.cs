using Dealwire.Security;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>Who may run a command: session types (SESSION_*) and, for managers and dealers, a right.</summary>
internal sealed class Access
{
    private readonly SessionType[] _types;

    private Access(bool isPublic, string? right, params SessionType[] types)
    {
        IsPublic = isPublic;
        Right = right;
        _types = types;
    }

    /// <summary>No token needed (AuthUser).</summary>
    public bool IsPublic { get; }

    public string? Right { get; }

    /// <summary>USER, MANAGER, DEALER, ADMIN (reads the spec opens to everybody; users see their own data).</summary>
    public static Access Everyone(string? staffRight = null) =>
        new(false, staffRight, SessionType.User, SessionType.Manager, SessionType.Dealer, SessionType.Admin, SessionType.System);

    /// <summary>MANAGER, DEALER, ADMIN with an optional manager right.</summary>
    public static Access Staff(string? right = null) =>
        new(false, right, SessionType.Manager, SessionType.Dealer, SessionType.Admin, SessionType.System);

    public static Access AdminOrManager(string? right = null) =>
        new(false, right, SessionType.Manager, SessionType.Admin, SessionType.System);

    public static Access AdminOnly() => new(false, null, SessionType.Admin, SessionType.System);

    public static Access Public() => new(true, null);

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
