using System.Text;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Live;
using Dealwire.WebConsole.Search;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Exposure: net volume and floating P/L of the visible open positions by symbol and by group, aggregated on the
/// server (the browser gets one row per symbol or group, whatever the number of positions) and pushed live. The
/// broker's P/L is the clients' floating P/L with the sign turned (before any hedging).
/// </summary>
internal static class ExposureScreen
{
    private sealed class Line
    {
        public int Positions;
        public long Buy;
        public long Sell;
        public decimal Floating;
    }

    public static IResult Show(HttpContext http, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeTrades)) return Page.Forbidden(session, "see_trades is required");
        var body = "<div id=\"exposure\" data-live=\"/console/live/exposure\">" + Fragment(session, view) + "</div>";
        return Page.Render(session, "Exposure", "/console/exposure", body);
    }

    public static async Task Stream(HttpContext http, ILiveView view, LiveStream stream)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeTrades))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await stream.RunAsync(http, session, () => Fragment(session, view));
    }

    internal static string Fragment(ConsoleSession session, ILiveView view)
    {
        // The view keeps one cell per (group, symbol) as positions change: a render sums cells, never positions.
        var bySymbol = new SortedDictionary<string, Line>(StringComparer.Ordinal);
        var byGroup = new SortedDictionary<string, Line>(StringComparer.Ordinal);
        foreach (var cell in view.GetExposure(session.Sees))
        {
            Add(bySymbol, cell.Symbol, cell);
            Add(byGroup, cell.Group, cell);
        }
        var total = bySymbol.Values.Sum(l => l.Floating);
        var sb = new StringBuilder("<p class=\"card\">Clients' floating P/L <strong id=\"clients-pl\">").Append(Page.Money(total))
            .Append("</strong> · broker's P/L <strong id=\"broker-pl\">").Append(Page.Money(-total)).Append("</strong></p>");
        Table(sb, "By symbol", "Symbol", "exposure-symbols", bySymbol);
        Table(sb, "By group", "Group", "exposure-groups", byGroup);
        return sb.ToString();
    }

    private static void Add(SortedDictionary<string, Line> lines, string key, ExposureCell cell)
    {
        if (!lines.TryGetValue(key, out var line)) lines[key] = line = new Line();
        line.Positions += cell.Positions;
        line.Buy += cell.BuyVolume;
        line.Sell += cell.SellVolume;
        line.Floating += cell.Floating;
    }

    private static void Table(StringBuilder sb, string title, string keyName, string id, SortedDictionary<string, Line> lines)
    {
        sb.Append("<h2>").Append(title).Append("</h2><table id=\"").Append(id).Append("\"><thead><tr><th>").Append(keyName)
            .Append("</th><th class=\"num\">Positions</th><th class=\"num\">Buy lots</th><th class=\"num\">Sell lots</th><th class=\"num\">Net lots</th>")
            .Append("<th class=\"num\">Clients' floating P/L</th><th class=\"num\">Broker's P/L</th></tr></thead><tbody>");
        foreach (var (key, l) in lines)
        {
            sb.Append("<tr data-key=\"").Append(Page.E(key)).Append("\"><td>").Append(Page.E(key)).Append("</td><td class=\"num\">").Append(l.Positions)
                .Append("</td><td class=\"num\">").Append(Page.Lots((int)l.Buy)).Append("</td><td class=\"num\">").Append(Page.Lots((int)l.Sell))
                .Append("</td><td class=\"num net\">").Append(Page.Lots((int)(l.Buy - l.Sell))).Append("</td><td class=\"num\">").Append(Page.Money(l.Floating))
                .Append("</td><td class=\"num\">").Append(Page.Money(-l.Floating)).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
    }
}
