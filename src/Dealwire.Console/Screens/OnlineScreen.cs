using System.Globalization;
using System.Text;
using Dealwire.Gateway.Sessions;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Audit;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Online sessions: console sessions and every protocol's open connections (<see cref="IOnlineSessions"/>), who,
/// from where, since when, with a disconnect that is rights-checked and audited.
/// </summary>
/// <remarks>
/// Who sees and may close what: an administrator, everything; a manager, its own sessions on any protocol and the
/// trader connections of accounts in its groups, and with <c>set_accounts</c> it may close those traders. Other
/// staff and not-yet-signed-in connections are for administrators only. A console session is named by a hash of its
/// id (the id itself is the cookie's secret).
/// </remarks>
internal static class OnlineScreen
{
    public const string ConsoleProtocol = "Console";

    public static IResult Show(HttpContext http, ConsoleSessionStore consoleSessions, IEnumerable<IOnlineSessions> protocols, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        var (flash, flashIsError) = session.TakeFlash();
        var body = new StringBuilder(Page.Notice(flash, flashIsError))
            .Append("<table id=\"online\"><thead><tr><th>Protocol</th><th>Who</th><th>Actor</th><th>Groups</th><th>From</th><th>Since</th><th>Last seen</th><th></th></tr></thead><tbody>");
        foreach (var row in Rows(consoleSessions, protocols).Where(r => Sees(session, r.Entry, view)))
        {
            var lastSeen = row.Console?.LastSeen.ToUnixTimeMilliseconds() ?? 0;
            body.Append("<tr data-protocol=\"").Append(Page.E(row.Entry.Protocol)).Append("\" data-actor=\"").Append(Page.E(row.Entry.Actor)).Append("\"><td>")
                .Append(Page.E(row.Entry.Protocol)).Append("</td><td>").Append(Page.E(row.Entry.Name ?? "(not signed in)")).Append("</td><td>").Append(Page.E(row.Entry.Actor))
                .Append("</td><td>").Append(Page.E(row.Entry.GroupMask ?? GroupOf(row.Entry, view))).Append("</td><td>").Append(Page.E(row.Entry.Remote))
                .Append("</td><td>").Append(Page.Time(row.Entry.ConnectedAt.ToUnixTimeMilliseconds())).Append("</td><td>").Append(Page.Time(lastSeen)).Append("</td><td>");
            if (MayClose(session, row.Entry, view) && row.Console?.Id != session.Id)
            {
                body.Append("<form method=\"post\" action=\"/console/sessions/disconnect\" class=\"inline\">").Append(Page.Csrf(session))
                    .Append("<input type=\"hidden\" name=\"protocol\" value=\"").Append(Page.E(row.Entry.Protocol)).Append("\"><input type=\"hidden\" name=\"id\" value=\"")
                    .Append(Page.E(row.Entry.Id)).Append("\"><button class=\"disconnect\">Disconnect</button></form>");
            }
            body.Append("</td></tr>");
        }
        body.Append("</tbody></table>");
        return Page.Render(session, "Online sessions", "/console/sessions", body.ToString());
    }

    public static async Task<IResult> DisconnectAsync(HttpContext http, ConsoleSessionStore consoleSessions, IEnumerable<IOnlineSessions> protocols, ILiveView view, ConsoleAudit audit)
    {
        var session = ConsoleGuard.Current(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var protocol = form["protocol"].ToString();
        var id = form["id"].ToString();
        var row = Rows(consoleSessions, protocols).FirstOrDefault(r => r.Entry.Protocol == protocol && r.Entry.Id == id);
        // Not visible is answered like gone: a manager cannot probe for other desks' connections.
        if (row is null || !Sees(session, row.Entry, view))
        {
            session.Flash = "session_not_found: the session is no longer open";
            session.FlashIsError = true;
            return Results.Redirect("/console/sessions");
        }
        var what = $"{row.Entry.Protocol} session {row.Entry.Id} ({row.Entry.Actor ?? "not signed in"} from {row.Entry.Remote})";
        if (!MayClose(session, row.Entry, view) || row.Console?.Id == session.Id)
        {
            audit.Record(http, session.Identity.Actor, ConsoleAudit.DisconnectAction, AuditStatus.Error, $"refused: {what}");
            return Page.Forbidden(session, "closing this session needs set_accounts over its group, or an administrator");
        }
        var reason = $"disconnected by {session.Identity.Actor} from the console";
        var closed = row.Console is { } c ? Close(consoleSessions, c) : protocols.First(p => p.Protocol == protocol).Disconnect(id, reason);
        audit.Record(http, session.Identity.Actor, ConsoleAudit.DisconnectAction, closed ? AuditStatus.Success : AuditStatus.Warning, (closed ? "closed " : "already gone: ") + what);
        session.Flash = closed ? $"Closed {what}." : "session_not_found: the session is no longer open";
        session.FlashIsError = !closed;
        return Results.Redirect("/console/sessions");
    }

    private static bool Close(ConsoleSessionStore store, ConsoleSession target)
    {
        store.Close(target.Id);
        return true;
    }

    private sealed record Row(OnlineSession Entry, ConsoleSession? Console);

    private static IEnumerable<Row> Rows(ConsoleSessionStore consoleSessions, IEnumerable<IOnlineSessions> protocols)
    {
        foreach (var c in consoleSessions.Online())
        {
            var who = c.Identity;
            yield return new Row(new OnlineSession(ConsoleProtocol, c.Handle, who.Actor, who.Name, who.GroupMask, null, who.IsStaff, c.Source, c.SignedIn), c);
        }
        foreach (var p in protocols)
        {
            foreach (var s in p.List().OrderBy(s => s.ConnectedAt)) yield return new Row(s, null);
        }
    }

    private static bool Sees(ConsoleSession session, OnlineSession entry, ILiveView view)
    {
        if (session.Identity.IsAdmin || entry.Actor == session.Identity.Actor) return true;
        if (entry.Actor is null || entry.IsStaff) return false;
        return session.Can(Rights.SeeAccounts) && TraderLogin(entry) is { } login && view.GetAccount(login) is { } account && session.Sees(account.Profile.Group);
    }

    private static bool MayClose(ConsoleSession session, OnlineSession entry, ILiveView view) =>
        session.Identity.IsAdmin || (!entry.IsStaff && entry.Actor is not null && session.Can(Rights.SetAccounts) && Sees(session, entry, view));

    private static string GroupOf(OnlineSession entry, ILiveView view) =>
        TraderLogin(entry) is { } login && view.GetAccount(login) is { } account ? account.Profile.Group : "";

    private static long? TraderLogin(OnlineSession entry) =>
        entry.Actor is { } actor && actor.StartsWith("user:", StringComparison.Ordinal)
        && long.TryParse(actor.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var login) ? login : null;
}
