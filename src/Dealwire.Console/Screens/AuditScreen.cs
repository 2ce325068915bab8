using System.Globalization;
using System.Text;
using Dealwire.ReadModel.History;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// The audit journal (the history store's audit_log: every journaled command with its actor) paged by sequence. Audit rows carry commands, not groups, so the journal is for administrators.
/// </summary>
internal static class AuditScreen
{
    public static async Task<IResult> JournalAsync(HttpContext http, IHistoryStore history, ConsoleOptions options)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Identity.IsAdmin && !session.Can("logs")) return Page.Forbidden(session, "the logs right (or an administrator) is required");
        var after = long.TryParse(http.Request.Query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var actor = http.Request.Query["actor"].ToString().Trim();
        var rows = await history.GetAuditAsync(after, options.PageSize, http.RequestAborted);
        var body = new StringBuilder(AuditEventsScreen.Link).Append("<form method=\"get\" action=\"/console/audit\" class=\"filters\"><label>After sequence <input name=\"after\" value=\"")
            .Append(Page.E(after)).Append("\"></label><label>Actor <input name=\"actor\" id=\"audit-actor\" value=\"").Append(Page.E(actor))
            .Append("\"></label><button>Show</button></form><table id=\"audit\"><thead><tr><th>Sequence</th><th>Time</th><th>Actor</th><th>Command</th><th>Request</th></tr></thead><tbody>");
        foreach (var r in rows.Where(r => actor.Length == 0 || r.Actor == actor))
        {
            body.Append("<tr><td>").Append(Page.E(r.Sequence)).Append("</td><td>").Append(Page.Time(r.Time)).Append("</td><td>").Append(Page.E(r.Actor))
                .Append("</td><td>").Append(Page.E(r.Command)).Append("</td><td><code>").Append(Page.E(r.Payload.Length > 300 ? r.Payload[..300] + "…" : r.Payload))
                .Append("</code></td></tr>");
        }
        body.Append("</tbody></table>");
        if (rows.Count == options.PageSize)
        {
            body.Append("<p class=\"pager\"><a rel=\"next\" href=\"/console/audit?after=").Append(Page.E(rows[^1].Sequence))
                .Append(actor.Length > 0 ? "&amp;actor=" + Page.E(Uri.EscapeDataString(actor)) : "").Append("\">next ›</a></p>");
        }
        return Page.Render(session, "Audit journal", "/console/audit", body.ToString());
    }
}
