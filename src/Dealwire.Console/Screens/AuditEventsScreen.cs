using System.Text;
using Dealwire.ReadModel.History;
using Dealwire.WebConsole.Audit;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// The whole audit log as GetLogs reads it (<see cref="IAuditLogReader"/>): journaled commands and the side channel's
/// sign-ins, refusals, disconnects and server start/stop, newest first, filtered by action, status and text.
/// </summary>
internal static class AuditEventsScreen
{
    private static readonly string[] Actions =
    [
        ConsoleAudit.SignInAction, ConsoleAudit.SignOutAction, ConsoleAudit.DisconnectAction, AuditActions.AuthManager,
        AuditActions.AuthUser, AuditActions.SsoAuthUser, AuditActions.AccessDenied, AuditActions.ServerStart, AuditActions.ServerStop,
    ];

    public static async Task<IResult> ShowAsync(HttpContext http, IServiceProvider services, ConsoleOptions options)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Identity.IsAdmin && !session.Can("logs")) return Page.Forbidden(session, "the logs right (or an administrator) is required");
        if (services.GetService<IAuditLogReader>() is not { } reader)
        {
            return Page.Render(session, "Audit events", "/console/audit", Page.Notice("no history store: the audit log is not kept", error: true));
        }
        var q = http.Request.Query;
        var action = q["action"].ToString().Trim();
        var status = q["status"].ToString().Trim();
        var text = q["text"].ToString().Trim();
        var page = Page.PageNumber(http.Request);
        var result = await reader.QueryAsync(new AuditLogQuery
        {
            Action = action.Length > 0 ? action : null,
            Status = AuditStatus.All.Contains(status) ? status : null,
            Text = text.Length > 0 ? text : null,
            Limit = options.PageSize,
            Offset = (page - 1) * options.PageSize,
        }, http.RequestAborted);

        var body = new StringBuilder("<p><a href=\"/console/audit\">Journaled commands</a> · <strong>All events</strong></p>")
            .Append("<form method=\"get\" action=\"/console/audit/events\" class=\"filters\"><label>Action <select name=\"action\" id=\"event-action\"><option value=\"\">any</option>");
        foreach (var a in Actions)
        {
            body.Append("<option").Append(a == action ? " selected" : "").Append('>').Append(Page.E(a)).Append("</option>");
        }
        body.Append("</select></label><label>Status <select name=\"status\" id=\"event-status\"><option value=\"\">any</option>");
        foreach (var s in AuditStatus.All.Order(StringComparer.Ordinal))
        {
            body.Append("<option").Append(s == status ? " selected" : "").Append('>').Append(Page.E(s)).Append("</option>");
        }
        body.Append("</select></label><label>Text <input name=\"text\" id=\"event-text\" value=\"").Append(Page.E(text))
            .Append("\"></label><button>Show</button></form>")
            .Append("<table id=\"audit-events\"><thead><tr><th>Time</th><th>Actor</th><th>Action</th><th>Status</th><th>Source</th><th>Detail</th></tr></thead><tbody>");
        foreach (var r in result.Rows)
        {
            var css = r.Status == AuditStatus.Error ? " class=\"refused\"" : "";
            body.Append("<tr").Append(css).Append("><td>").Append(Page.Time(r.Time)).Append("</td><td>").Append(Page.E(r.ActorType.ToLowerInvariant()))
                .Append(':').Append(Page.E(r.ActorId)).Append("</td><td>").Append(Page.E(r.Action)).Append("</td><td>").Append(Page.E(r.Status))
                .Append("</td><td>").Append(Page.E(r.Source)).Append("</td><td><code>").Append(Page.E(r.Detail.Length > 300 ? r.Detail[..300] + "…" : r.Detail))
                .Append("</code></td></tr>");
        }
        body.Append("</tbody></table>").Append(Page.Pager(http.Request, page, options.PageSize, (int)Math.Min(result.Count, int.MaxValue)));
        return Page.Render(session, "Audit events", "/console/audit", body.ToString());
    }

    /// <summary>The link the journal page shows to this one.</summary>
    public static string Link => "<p><strong>Journaled commands</strong> · <a href=\"/console/audit/events\">All events (sign-ins, refusals, disconnects)</a></p>";
}
