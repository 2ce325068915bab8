using Dealwire.Engine.Model;
using Dealwire.Security;

namespace Dealwire.WebConsole.Sessions;

/// <summary>
/// One signed-in console user: the identity its key or token stood for (mask and rights decided there, never by
/// the browser), the anti-forgery token every mutating request must echo, and when it was last used.
/// </summary>
public sealed class ConsoleSession(string id, SessionIdentity identity, string csrfToken, DateTimeOffset now, string source)
{
    private long _lastSeenTicks = now.UtcTicks;

    public string Id { get; } = id;

    /// <summary>A public name of the session for the online list and its disconnect form: the id is the cookie's secret, so never shown.</summary>
    public string Handle { get; } = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..16];

    // Replaced as one object when the manager's record changes (rights, mask, name): a request reads the pair once.
    private volatile Scope _scope = new(identity, new GroupMask(identity.GroupMask));

    /// <summary>Who the session acts as now: the record's rights and mask as of the last request (see <see cref="Refresh"/>).</summary>
    public SessionIdentity Identity => _scope.Identity;

    public GroupMask Mask => _scope.Mask;

    /// <summary>
    /// Takes the identity the manager record stands for now (the protocols re-read it at every command, the console
    /// at every request): a narrowed right or mask applies to the next click, not the next sign-in.
    /// </summary>
    internal void Refresh(SessionIdentity current)
    {
        var scope = _scope;
        if (ReferenceEquals(scope.Identity, current)) return;
        _scope = new Scope(current, scope.Identity.GroupMask == current.GroupMask ? scope.Mask : new GroupMask(current.GroupMask));
    }

    private sealed record Scope(SessionIdentity Identity, GroupMask Mask);

    /// <summary>Synchronizer token: rendered into every form, checked on every POST (a cross-site page cannot read it).</summary>
    public string CsrfToken { get; } = csrfToken;

    public DateTimeOffset SignedIn { get; } = now;

    /// <summary>The browser's address when it signed in, for the online-sessions list.</summary>
    public string Source { get; } = source;

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);

    /// <summary>Whether the identity may see an account of <paramref name="group"/>.</summary>
    public bool Sees(string? group) => group is not null && Mask.Matches(group);

    public bool Can(string right) => Identity.HasRight(right);

    /// <summary>The outcome of the last action, shown once by the next page (post/redirect/get).</summary>
    public string? Flash { get; set; }

    public bool FlashIsError { get; set; }

    public (string? Text, bool Error) TakeFlash()
    {
        var flash = (Flash, FlashIsError);
        Flash = null;
        FlashIsError = false;
        return flash;
    }
}
