using System.Globalization;
using System.Net;
using System.Text;
using Dealwire.Security;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Html;

/// <summary>
/// Server-rendered HTML: every value goes through <see cref="E"/> (encoded), every form carries the session's
/// anti-forgery token, and the page loads one script and one style sheet from <c>/console/assets</c> (the content
/// security policy forbids inline script).
/// </summary>
internal static class Page
{
    private static readonly (string Path, string Title, string? Right)[] Nav =
    [
        ("/console/accounts", "Accounts", Rights.SeeAccounts),
        ("/console/positions", "Positions & orders", Rights.SeeTrades),
        ("/console/exposure", "Exposure", Rights.SeeTrades),
        ("/console/margin", "Margin monitor", Rights.SeeAccounts),
        ("/console/history", "History", Rights.SeeTrades),
        ("/console/symbols", "Symbols", null),
        ("/console/groups", "Groups", null),
        ("/console/quotes", "Quotes & feeds", null),
        ("/console/audit", "Audit journal", null),
        ("/console/sessions", "Online sessions", null),
        ("/console/managers", "Managers", null),
        ("/console/system", "System", Rights.Logs),
    ];

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string E(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Price(decimal value, int digits) => value.ToString("F" + Math.Clamp(digits, 0, 10).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Lots(int volume) => (volume / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string Time(long unixMs) => unixMs <= 0 ? "" : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Csrf(ConsoleSession session) => $"<input type=\"hidden\" name=\"{ConsoleGuard.CsrfField}\" value=\"{E(session.CsrfToken)}\">";

    public static IResult Render(ConsoleSession? session, string title, string active, string body, int status = 200)
    {
        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append(" · Dealwire console</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/console/assets/console.css\"><script src=\"/console/assets/console.js\" defer></script>");
        if (session is not null) html.Append("<meta name=\"csrf-token\" content=\"").Append(E(session.CsrfToken)).Append("\">");
        html.Append("</head><body><header><span class=\"brand\">Dealwire</span>");
        if (session is not null)
        {
            html.Append("<nav>");
            foreach (var (path, navTitle, right) in Nav)
            {
                if (right is not null && !session.Can(right)) continue;
                html.Append("<a href=\"").Append(path).Append('"').Append(path == active ? " class=\"active\"" : "").Append('>').Append(E(navTitle)).Append("</a>");
            }
            html.Append("</nav><span class=\"who\" id=\"who\">").Append(E(session.Identity.Name)).Append(" · ").Append(E(session.Identity.Actor))
                .Append(" · groups <code>").Append(E(session.Identity.GroupMask)).Append("</code></span>");
            html.Append("<form method=\"post\" action=\"/console/signout\" class=\"inline\">").Append(Csrf(session)).Append("<button>Sign out</button></form>");
        }
        html.Append("</header><main><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Notice(string? text, bool error = false) =>
        string.IsNullOrEmpty(text) ? "" : $"<p class=\"{(error ? "error" : "notice")}\" role=\"status\">{E(text)}</p>";

    /// <summary>Previous / next links for a server-side page, keeping the other query values.</summary>
    public static string Pager(HttpRequest request, int page, int pageSize, int total)
    {
        var pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        var sb = new StringBuilder("<p class=\"pager\">");
        sb.Append(CultureInfo.InvariantCulture, $"{total} rows · page {page} of {pages} ");
        if (page > 1) sb.Append("<a rel=\"prev\" href=\"").Append(E(WithPage(request, page - 1))).Append("\">‹ previous</a> ");
        if (page < pages) sb.Append("<a rel=\"next\" href=\"").Append(E(WithPage(request, page + 1))).Append("\">next ›</a>");
        return sb.Append("</p>").ToString();
    }

    private static string WithPage(HttpRequest request, int page)
    {
        var query = request.Query.Where(q => q.Key != "page").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={page.ToString(CultureInfo.InvariantCulture)}");
        return request.Path + "?" + string.Join("&", query);
    }

    public static int PageNumber(HttpRequest request) =>
        int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;

    public static IResult Forbidden(ConsoleSession session, string what) =>
        Render(session, "Not allowed", "", Notice($"forbidden: {what}", error: true), StatusCodes.Status403Forbidden);
}
