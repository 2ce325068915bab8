using System.Globalization;
using System.Text;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Symbols (screen 6): the list with spreads, swaps and trade mode; a symbol's page with its settings, trading
/// sessions, candles from the history store and, for those allowed, an edit of spread, swaps and trade mode that goes
/// to the engine as <see cref="PatchSymbol"/> — what the Server API's UpdateSymbol submits — so the audit log has it.
/// </summary>
/// <remarks>
/// Rights: the <c>config</c> right with a mask of every group (<c>*</c>), or an administrator. A symbol is traded by
/// every group whose symbol groups include it; the Server API checks that the caller's mask covers those groups, and a
/// full mask is the conservative form of that check here (the group-impact calculation is the Server API's own).
/// </remarks>
internal static class SymbolsScreen
{
    private static readonly int[] Timeframes = [1, 5, 15, 60];

    public static IResult List(HttpContext http, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        var sb = new StringBuilder("<table id=\"symbols\"><thead><tr><th>Symbol</th><th>Description</th><th class=\"num\">Digits</th><th>Trade mode</th>")
            .Append("<th class=\"num\">Spread</th><th class=\"num\">Swap long</th><th class=\"num\">Swap short</th><th class=\"num\">Contract</th><th class=\"num\">Bid</th><th class=\"num\">Ask</th></tr></thead><tbody>");
        foreach (var s in view.GetSymbols().OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var q = view.GetQuote(s.Name);
            sb.Append("<tr data-symbol=\"").Append(Page.E(s.Name)).Append("\"><td><a href=\"/console/symbols/").Append(Page.E(Uri.EscapeDataString(s.Name))).Append("\">")
                .Append(Page.E(s.Name)).Append("</a></td><td>").Append(Page.E(s.Description)).Append("</td><td class=\"num\">").Append(s.Digits).Append("</td><td>")
                .Append(Page.E(s.TradeMode.ToString())).Append("</td><td class=\"num\">").Append(s.Spread).Append("</td><td class=\"num\">").Append(D(s.SwapLong))
                .Append("</td><td class=\"num\">").Append(D(s.SwapShort)).Append("</td><td class=\"num\">").Append(D(s.ContractSize)).Append("</td><td class=\"num\">")
                .Append(q is { IsSet: true } a ? Page.Price(a.Bid, s.Digits) : "").Append("</td><td class=\"num\">").Append(q is { IsSet: true } b ? Page.Price(b.Ask, s.Digits) : "")
                .Append("</td></tr>");
        }
        return Page.Render(session, "Symbols", "/console/symbols", sb.Append("</tbody></table>").ToString());
    }

    public static async Task<IResult> ShowAsync(HttpContext http, string name, ILiveView view, IHistoryStore history, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        if (view.GetSymbol(name) is not { } s) return Page.Render(session, "Not found", "/console/symbols", Page.Notice("symbol_not_found: no such symbol", true), 404);
        var tf = int.TryParse(http.Request.Query["tf"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && Timeframes.Contains(t) ? t : 1;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // The last 120 periods: one screen of candles, whatever the store holds.
        var candles = await history.GetCandlesAsync(s.Name, tf, now - 120L * tf * 60_000, now, http.RequestAborted);
        var (flash, flashIsError) = session.TakeFlash();

        var sb = new StringBuilder(Page.Notice(flash, flashIsError)).Append("<p><a href=\"/console/symbols\">‹ Symbols</a> · <a href=\"/console/quotes?symbol=")
            .Append(Page.E(Uri.EscapeDataString(s.Name))).Append("\">Quotes &amp; feeds</a></p><section class=\"card\"><h2>Candles</h2><p>");
        foreach (var f in Timeframes)
        {
            sb.Append(f == tf ? "<strong>" : "<a href=\"/console/symbols/" + Page.E(Uri.EscapeDataString(s.Name)) + "?tf=" + f + "\">").Append(Label(f)).Append(f == tf ? "</strong> " : "</a> ");
        }
        sb.Append("</p>").Append(CandleChart.Svg(candles, s.Digits)).Append("</section>");

        sb.Append("<section class=\"card\"><h2>Settings</h2><dl>");
        Term(sb, "Description", s.Description, "sym-description");
        Term(sb, "Digits", s.Digits.ToString(CultureInfo.InvariantCulture), "sym-digits");
        Term(sb, "Trade mode", s.TradeMode.ToString(), "sym-trade-mode");
        Term(sb, "Spread (points, 0 = feed's)", s.Spread.ToString(CultureInfo.InvariantCulture), "sym-spread");
        Term(sb, "Swaps", $"{(s.SwapEnabled ? "on" : "off")}, {s.SwapType}, long {D(s.SwapLong)}, short {D(s.SwapShort)}, triple on {s.TripleSwapDay}", "sym-swaps");
        Term(sb, "Contract size", D(s.ContractSize), "sym-contract");
        Term(sb, "Currencies", $"profit {s.ProfitCurrency}, margin {s.EffectiveMarginCurrency}", "sym-currencies");
        Term(sb, "Sessions", Sessions(s), "sym-sessions");
        sb.Append("</dl></section>");

        if (MayEdit(session))
        {
            sb.Append("<section class=\"card\"><h2>Edit</h2><form method=\"post\" action=\"/console/symbols/").Append(Page.E(Uri.EscapeDataString(s.Name)))
                .Append("\" id=\"symbol-edit\">").Append(Page.Csrf(session))
                .Append("<label>Spread <input name=\"spread\" id=\"edit-spread\" inputmode=\"numeric\" value=\"").Append(s.Spread).Append("\"></label>")
                .Append("<label>Swap long <input name=\"swapLong\" id=\"edit-swap-long\" value=\"").Append(D(s.SwapLong)).Append("\"></label>")
                .Append("<label>Swap short <input name=\"swapShort\" id=\"edit-swap-short\" value=\"").Append(D(s.SwapShort)).Append("\"></label>")
                .Append("<label>Trade mode <select name=\"tradeMode\" id=\"edit-trade-mode\">");
            foreach (var m in Enum.GetValues<SymbolTradeMode>())
            {
                sb.Append("<option").Append(m == s.TradeMode ? " selected" : "").Append('>').Append(m).Append("</option>");
            }
            sb.Append("</select></label><button id=\"symbol-save\">Save</button></form></section>");
        }
        return Page.Render(session, "Symbol " + s.Name, "/console/symbols", sb.ToString());
    }

    public static async Task<IResult> UpdateAsync(HttpContext http, string name, ILiveView view, ConsoleCommands commands)
    {
        var session = ConsoleGuard.Current(http);
        if (!MayEdit(session)) return Page.Forbidden(session, "editing symbols needs the config right over every group (*), or an administrator");
        if (view.GetSymbol(name) is null) return Page.Render(session, "Not found", "/console/symbols", Page.Notice("symbol_not_found: no such symbol", true), 404);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var back = "/console/symbols/" + Uri.EscapeDataString(name);
        if (!int.TryParse(form["spread"], NumberStyles.None, CultureInfo.InvariantCulture, out var spread) || spread > 100_000
            || !decimal.TryParse(form["swapLong"], NumberStyles.Number, CultureInfo.InvariantCulture, out var swapLong)
            || !decimal.TryParse(form["swapShort"], NumberStyles.Number, CultureInfo.InvariantCulture, out var swapShort)
            || !Enum.TryParse<SymbolTradeMode>(form["tradeMode"], out var mode) || !Enum.IsDefined(mode))
        {
            session.Flash = "invalid_data: spread is a whole number of points (0-100000), swaps are decimals, trade mode one of the list";
            session.FlashIsError = true;
            return Results.Redirect(back);
        }
        var patch = new SymbolPatch { Spread = spread, SwapLong = swapLong, SwapShort = swapShort, TradeMode = mode };
        var result = await commands.SubmitAsync(session, new PatchSymbol(name, patch), http.RequestAborted);
        if (result.IsOk) session.Flash = $"Symbol {name} saved.";
        return Results.Redirect(back);
    }

    public static bool MayEdit(ConsoleSession session) => session.Identity.IsAdmin || (session.Can(Rights.Config) && session.Identity.GroupMask.Trim() == "*");

    private static string Sessions(SymbolConfig s)
    {
        if (s.Sessions is not { Count: > 0 } days) return "trades around the clock";
        var parts = new List<string>();
        for (var d = 0; d < days.Count && d < 7; d++)
        {
            var day = (DayOfWeek)d;
            var trade = days[d].Trade;
            parts.Add(day.ToString()[..3] + " " + (trade.Count == 0 ? "closed" : string.Join(",", trade.Select(i => $"{Hm(i.OpenMinute)}-{Hm(i.CloseMinute)}"))));
        }
        return string.Join("; ", parts);
    }

    private static string Hm(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    private static string Label(int tf) => tf >= 60 ? "H" + tf / 60 : "M" + tf;

    private static void Term(StringBuilder sb, string term, string value, string id) =>
        sb.Append("<dt>").Append(Page.E(term)).Append("</dt><dd id=\"").Append(id).Append("\">").Append(Page.E(value)).Append("</dd>");

    private static string D(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
