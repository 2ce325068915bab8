using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// What the Server API writes to the audit side channel: sign-ins and refused commands, with the connection's
/// remote endpoint as source. Journaled commands need nothing here: the projector audits them.
/// </summary>
internal static class AuditRecording
{
    /// <summary>A command refused for its token (401 PERMISSION_DENIED) or for a missing right or scope (403 RET_NOT_ENOUGH_RIGHTS).</summary>
    public static void Refused(ServerApiContext server, Session session, string command, SessionIdentity? caller, ProtocolException ex)
    {
        if (server.Audit is not { } audit) return;
        if (ex.Error is not (ErrorNames.PermissionDenied or "RET_NOT_ENOUGH_RIGHTS")) return;
        audit.Record(new AuditEvent(server.Time.GetUtcNow().ToUnixTimeMilliseconds(), caller?.Actor ?? AuditActor.Anonymous,
            AuditActions.AccessDenied, AuditStatus.Error, session.Remote, $"{Truncate(command)}: {ex.Error} {ex.Message}"));
    }

    /// <summary>A sign-in (AuthUser / SSOAuthUser), granted or refused.</summary>
    public static void SignIn(CommandContext c, string action, string actor, bool granted, string detail)
    {
        if (c.Server.Audit is not { } audit) return;
        audit.Record(new AuditEvent(c.Server.Time.GetUtcNow().ToUnixTimeMilliseconds(), actor, action,
            granted ? AuditStatus.Success : AuditStatus.Error, c.Session.Remote, detail));
    }

    // A command name comes from the client: bounded so a hostile line cannot bloat the log.
    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
