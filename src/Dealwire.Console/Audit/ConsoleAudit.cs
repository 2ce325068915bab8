using Dealwire.ReadModel.History;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.WebConsole.Audit;

/// <summary>
/// What the console writes to the audit side channel (<see cref="IAuditTrail"/>, the history store's audit_log):
/// sign-ins granted and refused, sign-outs and disconnects, with the browser's address as source. Console actions
/// on accounts and trades need nothing here: they are journaled commands, which the projector audits.
/// </summary>
public sealed class ConsoleAudit(IServiceProvider services, TimeProvider time)
{
    /// <summary>A console sign-in, granted or refused (the vendor's manager sign-in is AuthManager; this is its console twin).</summary>
    public const string SignInAction = "ConsoleSignIn";

    public const string SignOutAction = "ConsoleSignOut";

    /// <summary>A manager closing a protocol or console session from the online-sessions screen.</summary>
    public const string DisconnectAction = "ConsoleDisconnect";

    // Optional: a host without a history store has no side channel, and the console still works.
    private readonly IAuditTrail? _trail = services.GetService<IAuditTrail>();

    public void SignIn(HttpContext http, string actor, bool granted, string detail) =>
        Record(http, actor, SignInAction, granted ? AuditStatus.Success : AuditStatus.Error, detail);

    public void Record(HttpContext http, string actor, string action, string status, string detail) =>
        _trail?.Record(new AuditEvent(time.GetUtcNow().ToUnixTimeMilliseconds(), actor, action, status, Source(http), detail));

    /// <summary>The browser's endpoint, written as the protocols write theirs (IPv4 clients as IPv4).</summary>
    public static string Source(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? AuditSource.Of(new System.Net.IPEndPoint(ip, http.Connection.RemotePort)) : AuditSource.Local;
}
