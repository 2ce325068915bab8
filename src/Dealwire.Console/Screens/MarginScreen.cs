using System.Text;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Live;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Margin monitor: visible accounts that use margin, lowest margin level first, with the stop-out and margin-call
/// counts on top; one server-side page of rows, pushed live.
/// </summary>
internal static class MarginScreen
{
    public static IResult Show(HttpContext http, ILiveView view, ConsoleOptions options)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeAccounts)) return Page.Forbidden(session, "see_accounts is required");
        var page = Page.PageNumber(http.Request);
        var body = "<p><a href=\"/console/margin/stopouts\" id=\"stopout-history\">Stop-out history ›</a></p><div id=\"margin\" data-live=\"/console/live/margin?page=" + page + "\">" + Fragment(session, view, options, page) + "</div>";
        return Page.Render(session, "Margin monitor", "/console/margin", body);
    }

    public static async Task Stream(HttpContext http, ILiveView view, ConsoleOptions options, LiveStream stream)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeAccounts))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var page = Page.PageNumber(http.Request);
        await stream.RunAsync(http, session, () => Fragment(session, view, options, page));
    }

    private static string Fragment(ConsoleSession session, ILiveView view, ConsoleOptions options, int page)
    {
        var loaded = view.GetAccounts(session.Mask).Where(a => a.Margin.Margin > 0).OrderBy(a => a.Margin.MarginLevel).ThenBy(a => a.Profile.Login).ToList();
        var stopOut = loaded.Count(a => a.Margin.LevelType == MarginLevelType.StopOut);
        var marginCall = loaded.Count(a => a.Margin.LevelType == MarginLevelType.MarginCall);
        var sb = new StringBuilder("<p class=\"card\">Accounts using margin <strong id=\"margin-count\">").Append(loaded.Count)
            .Append("</strong> · in margin call <strong id=\"margin-call-count\">").Append(marginCall)
            .Append("</strong> · at stop out <strong id=\"stop-out-count\">").Append(stopOut).Append("</strong></p>")
            .Append("<table id=\"margin-accounts\"><thead><tr><th>Login</th><th>Name</th><th>Group</th><th class=\"num\">Equity</th><th class=\"num\">Margin</th>")
            .Append("<th class=\"num\">Free margin</th><th class=\"num\">Margin level</th></tr></thead><tbody>");
        foreach (var a in loaded.Skip((page - 1) * options.PageSize).Take(options.PageSize))
        {
            var state = a.Margin.LevelType switch { MarginLevelType.StopOut => " class=\"stop-out\"", MarginLevelType.MarginCall => " class=\"margin-call\"", _ => "" };
            sb.Append("<tr data-login=\"").Append(Page.E(a.Profile.Login)).Append('"').Append(state).Append("><td><a href=\"/console/accounts/")
                .Append(Page.E(a.Profile.Login)).Append("\">").Append(Page.E(a.Profile.Login)).Append("</a></td><td>").Append(Page.E(a.Profile.Name))
                .Append("</td><td>").Append(Page.E(a.Profile.Group)).Append("</td><td class=\"num\">").Append(Page.Money(a.Margin.Equity))
                .Append("</td><td class=\"num\">").Append(Page.Money(a.Margin.Margin)).Append("</td><td class=\"num\">").Append(Page.Money(a.Margin.FreeMargin))
                .Append("</td><td class=\"num\">").Append(AccountsScreen.Level(a.Margin)).Append("</td></tr>");
        }
        var pages = Math.Max(1, (loaded.Count + options.PageSize - 1) / options.PageSize);
        return sb.Append("</tbody></table><p class=\"pager\">page ").Append(page).Append(" of ").Append(pages).Append("</p>").ToString();
    }
}
