using System.Globalization;
using System.Text;
using Dealwire.Engine.Model;
using Dealwire.Feeds.Filtering;
using Dealwire.Feeds.Sources;
using Dealwire.ReadModel.Live;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Live;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Quotes and feeds (screen 7): one symbol's raw price beside the price each visible group sees (markups, fixed
/// spreads), the feed sources' health and the quote filter's rejections by reason, pushed live. Prices are not account
/// data, so any signed-in manager may look; the group rows follow the manager's mask.
/// </summary>
internal static class QuotesScreen
{
    public static IResult Show(HttpContext http, ILiveView view, IServiceProvider services)
    {
        var session = ConsoleGuard.Current(http);
        var symbol = SymbolOf(http, view);
        var picker = new StringBuilder("<form method=\"get\" action=\"/console/quotes\" class=\"filters\"><label>Symbol <select name=\"symbol\" id=\"quote-symbol\">");
        foreach (var s in view.GetSymbols().OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            picker.Append("<option").Append(s.Name == symbol ? " selected" : "").Append('>').Append(Page.E(s.Name)).Append("</option>");
        }
        picker.Append("</select></label><button>Show</button></form>");
        var body = picker + "<div id=\"quotes\" data-live=\"/console/live/quotes?symbol=" + Page.E(Uri.EscapeDataString(symbol)) + "\">"
            + Fragment(session, view, services, symbol) + "</div>";
        return Page.Render(session, "Quotes & feeds", "/console/quotes", body);
    }

    public static async Task Stream(HttpContext http, ILiveView view, IServiceProvider services, LiveStream stream)
    {
        var session = ConsoleGuard.Current(http);
        var symbol = SymbolOf(http, view);
        await stream.RunAsync(http, session, () => Fragment(session, view, services, symbol));
    }

    private static string SymbolOf(HttpContext http, ILiveView view)
    {
        var asked = http.Request.Query["symbol"].ToString();
        return view.GetSymbol(asked) is { } s ? s.Name : view.GetSymbols().OrderBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault()?.Name ?? "";
    }

    private static string Fragment(ConsoleSession session, ILiveView view, IServiceProvider services, string symbol)
    {
        var sb = new StringBuilder();
        var config = view.GetSymbol(symbol);
        var digits = config?.Digits ?? 5;
        var point = config?.Point ?? 0.00001m;
        sb.Append("<h2>").Append(Page.E(symbol)).Append(": raw and group prices</h2><table id=\"prices\"><thead><tr><th>Price of</th><th class=\"num\">Bid</th>")
            .Append("<th class=\"num\">Ask</th><th class=\"num\">Spread (points)</th><th>Quote time</th></tr></thead><tbody>");
        PriceRow(sb, "raw feed", "raw", view.GetQuote(symbol), digits, point);
        foreach (var g in view.GetGroups().Where(g => session.Sees(g.Name)).OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            PriceRow(sb, "group " + g.Name, g.Name, view.GetQuote(symbol, g.Name), digits, point);
        }
        sb.Append("</tbody></table>");

        if (services.GetService<FeedRouting>() is { } routing)
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
            sb.Append("<h2>Feed sources</h2><table id=\"feed-sources\"><thead><tr><th>Source</th><th class=\"num\">Priority</th><th>Connected</th>")
                .Append("<th class=\"num\">Last tick (ms ago)</th><th class=\"num\">Accepted</th><th class=\"num\">Filtered</th><th class=\"num\">Standby</th></tr></thead><tbody>");
            foreach (var s in routing.Sources.All)
            {
                sb.Append("<tr data-source=\"").Append(Page.E(s.Name)).Append("\"><td>").Append(Page.E(s.Name)).Append("</td><td class=\"num\">").Append(N(s.Priority))
                    .Append("</td><td>").Append(s.Connected ? "<span class=\"flag ok\">connected</span>" : "<span class=\"flag bad\">down</span>")
                    .Append("</td><td class=\"num\">").Append(s.LastTickAt < 0 ? "never" : N(Math.Max(0, now - s.LastTickAt))).Append("</td><td class=\"num\">")
                    .Append(N(s.Accepted)).Append("</td><td class=\"num\">").Append(N(s.Filtered)).Append("</td><td class=\"num\">").Append(N(s.Standby)).Append("</td></tr>");
            }
            sb.Append("</tbody></table>");
        }
        if (services.GetService<QuoteFilter>() is { } filter)
        {
            var c = filter.Counters;
            sb.Append("<h2>Quote filter</h2><table id=\"filter\"><thead><tr><th class=\"num\">Accepted</th><th class=\"num\">Rejected</th><th class=\"num\">Non-positive</th>")
                .Append("<th class=\"num\">Crossed</th><th class=\"num\">Stale</th><th class=\"num\">Spike</th></tr></thead><tbody><tr><td class=\"num\" id=\"filter-accepted\">")
                .Append(N(c.Accepted)).Append("</td><td class=\"num\" id=\"filter-rejected\">").Append(N(c.Rejected)).Append("</td><td class=\"num\">").Append(N(c.NonPositive))
                .Append("</td><td class=\"num\">").Append(N(c.Crossed)).Append("</td><td class=\"num\">").Append(N(c.Stale)).Append("</td><td class=\"num\">").Append(N(c.Spike))
                .Append("</td></tr></tbody></table>");
        }
        return sb.ToString();
    }

    private static void PriceRow(StringBuilder sb, string label, string key, Quote? quote, int digits, decimal point)
    {
        sb.Append("<tr data-price=\"").Append(Page.E(key)).Append("\"><td>").Append(Page.E(label)).Append("</td>");
        if (quote is { IsSet: true } q)
        {
            sb.Append("<td class=\"num bid\">").Append(Page.Price(q.Bid, digits)).Append("</td><td class=\"num ask\">").Append(Page.Price(q.Ask, digits))
                .Append("</td><td class=\"num spread\">").Append(N((long)decimal.Round((q.Ask - q.Bid) / point))).Append("</td><td>").Append(Page.Time(q.Time)).Append("</td>");
        }
        else
        {
            sb.Append("<td colspan=\"4\">no price yet</td>");
        }
        sb.Append("</tr>");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
