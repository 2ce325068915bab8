using System.Text;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Stop-out history (screen 5): positions the engine closed at stop out (closed deals with activation
/// <see cref="Activation.StopOut"/>) of the visible groups, newest first, from the history store.
/// </summary>
/// <remarks>
/// The store's trade query filters by login, mask, time and kind but not by activation, so this screen walks the
/// mask's closed deals newest first with the store's keyset cursor and keeps the stop-outs. One request reads at most
/// <see cref="ScanLimit"/> deals; when it stops there it links the cursor it reached, so a long quiet history is paged
/// through rather than read whole.
/// </remarks>
internal static class StopOutScreen
{
    public const int ScanLimit = 5_000;
    private const int Batch = 500;

    public static async Task<IResult> ShowAsync(HttpContext http, IHistoryReader history, ConsoleOptions options)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeAccounts) || !session.Can(Rights.SeeTrades)) return Page.Forbidden(session, "see_accounts and see_trades are required");
        var login = long.TryParse(http.Request.Query["login"], out var l) && l > 0 ? l : (long?)null;
        HistoryCursor? cursor = HistoryCursor.TryParse(http.Request.Query["before"], out var c) ? c : null;

        var found = new List<TradeRecord>();
        var scanned = 0;
        HistoryCursor? next = cursor;
        var exhausted = false;
        while (found.Count < options.PageSize && scanned < ScanLimit)
        {
            var page = await history.GetTradesAsync(new HistoryQuery
            {
                Login = login, Mask = session.Mask, Kinds = HistoryKinds.Deals, NewestFirst = true, Limit = Batch, After = next,
            }, http.RequestAborted);
            foreach (var t in page.Rows)
            {
                scanned++;
                next = new HistoryCursor(t.CloseTime, t.Ticket);
                if (t.Activation == Activation.StopOut) found.Add(t);
                if (found.Count == options.PageSize) break;
            }
            if (page.Next is null && found.Count < options.PageSize)
            {
                exhausted = true;
                break;
            }
        }

        var body = new StringBuilder("<p><a href=\"/console/margin\">‹ Margin monitor</a></p>")
            .Append("<form method=\"get\" action=\"/console/margin/stopouts\" class=\"filters\"><label>Login <input name=\"login\" id=\"stopout-login\" value=\"")
            .Append(login is { } x ? Page.E(x) : "").Append("\"></label><button>Show</button></form>")
            .Append("<table id=\"stop-outs\"><thead><tr><th>Closed</th><th>Ticket</th><th>Login</th><th>Symbol</th><th>Type</th><th class=\"num\">Lots</th>")
            .Append("<th class=\"num\">Open price</th><th class=\"num\">Close price</th><th class=\"num\">Profit</th><th>Comment</th></tr></thead><tbody>");
        foreach (var t in found)
        {
            body.Append("<tr data-ticket=\"").Append(Page.E(t.Ticket)).Append("\"><td>").Append(Page.Time(t.CloseTime)).Append("</td><td>").Append(Page.E(t.Ticket))
                .Append("</td><td><a href=\"/console/accounts/").Append(Page.E(t.Login)).Append("\">").Append(Page.E(t.Login)).Append("</a></td><td>")
                .Append(Page.E(t.Symbol)).Append("</td><td>").Append(Page.E(t.Command.ToString())).Append("</td><td class=\"num\">").Append(Page.Lots(t.Volume))
                .Append("</td><td class=\"num\">").Append(Page.Price(t.OpenPrice, t.Digits)).Append("</td><td class=\"num\">").Append(Page.Price(t.ClosePrice, t.Digits))
                .Append("</td><td class=\"num\">").Append(Page.Money(t.Profit)).Append("</td><td>").Append(Page.E(t.Comment)).Append("</td></tr>");
        }
        body.Append("</tbody></table><p class=\"pager\">").Append(found.Count).Append(" stop-outs shown, ").Append(scanned).Append(" closed deals read");
        if (!exhausted && next is { } n)
        {
            body.Append(" · <a rel=\"next\" href=\"/console/margin/stopouts?before=").Append(Page.E(Uri.EscapeDataString(n.Format())))
                .Append(login is { } lg ? "&amp;login=" + Page.E(lg) : "").Append("\">older ›</a>");
        }
        body.Append("</p>");
        return Page.Render(session, "Stop-out history", "/console/margin", body.ToString());
    }
}
