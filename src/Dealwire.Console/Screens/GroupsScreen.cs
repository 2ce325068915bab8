using System.Globalization;
using System.Text;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Groups (screen 6): the trading groups of the manager's mask with their margin settings, commissions per symbol
/// group (secgroups) and markups per symbol (secmargins); for those allowed, edits of each submitted as
/// <see cref="PatchGroup"/> — what the Server API's UpdateGroup submits — so the engine validates them and the audit log
/// records them under the manager.
/// </summary>
/// <remarks>
/// Rights as UpdateGroup's (the Server API's rights matrix: <c>config</c>, target group inside the mask), or an
/// administrator. A list in a patch replaces the group's list, each entry patched onto the current entry with the
/// same key, so an edit of one entry sends every current key with nothing else to change. A group whose secgroups are
/// "not configured" (every symbol group, defaults) gets a list of every symbol group at its first commission edit:
/// the same dealing, written out.
/// </remarks>
internal static class GroupsScreen
{
    /// <summary>Largest markup or spread difference in points: the Server API's range for these fields (FieldRanges).</summary>
    private const int MaxPoints = 1_000_000;

    public static IResult List(HttpContext http, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        var sb = new StringBuilder("<table id=\"groups\"><thead><tr><th>Group</th><th>Currency</th><th>Kind</th><th>State</th><th class=\"num\">Leverage</th>")
            .Append("<th class=\"num\">Margin call</th><th class=\"num\">Stop out</th><th>Accounting</th><th class=\"num\">Symbol groups</th><th class=\"num\">Markups</th></tr></thead><tbody>");
        foreach (var g in view.GetGroups().Where(g => session.Sees(g.Name)).OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            sb.Append("<tr data-group=\"").Append(Page.E(g.Name)).Append("\"><td><a href=\"").Append(Page.E(Link(g.Name))).Append("\">").Append(Page.E(g.Name))
                .Append("</a></td><td>").Append(Page.E(g.Currency)).Append("</td><td>").Append(g.IsReal ? "real" : "demo").Append("</td><td>")
                .Append(g.Enabled ? "enabled" : "disabled").Append("</td><td class=\"num\">1:").Append(g.DefaultLeverage.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td class=\"num\">").Append(Level(g.MarginCall, g)).Append("</td><td class=\"num\">").Append(Level(g.StopOut, g)).Append("</td><td>")
                .Append(g.Accounting).Append("</td><td class=\"num\">").Append(g.Securities is null ? "all" : g.Securities.Count.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td class=\"num\">").Append(g.SymbolOverrides.Count(o => o.BidMarkup != 0 || o.AskMarkup != 0)).Append("</td></tr>");
        }
        return Page.Render(session, "Groups", "/console/groups", sb.Append("</tbody></table>").ToString());
    }

    public static IResult Show(HttpContext http, string name, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        if (Visible(session, view, name) is not { } g) return NotFound(session);
        var (flash, flashIsError) = session.TakeFlash();
        var edit = MayEdit(session, name);
        var action = Link(name);
        var sb = new StringBuilder(Page.Notice(flash, flashIsError)).Append("<p><a href=\"/console/groups\">‹ Groups</a></p>");

        sb.Append("<section class=\"card\"><h2>Margin settings</h2><dl>")
            .Append(Term("Currency", $"{g.Currency} ({g.CurrencyDigits} digits)", "grp-currency"))
            .Append(Term("Default leverage", "1:" + g.DefaultLeverage.ToString(CultureInfo.InvariantCulture), "grp-leverage"))
            .Append(Term("Margin call", Level(g.MarginCall, g), "grp-margin-call")).Append(Term("Stop out", Level(g.StopOut, g), "grp-stop-out"))
            .Append(Term("Free margin", g.FreeMarginMode.ToString(), "grp-free-margin")).Append(Term("Accounting", g.Accounting.ToString(), "grp-accounting"))
            .Append(Term("Hedged margin", g.HedgeLargeLeg ? "larger leg only" : "both legs", "grp-hedge"))
            .Append(Term("Negative balance", g.NegativeBalancePolicy.ToString(), "grp-negative")).Append("</dl>");
        if (edit)
        {
            sb.Append("<form method=\"post\" action=\"").Append(action).Append("/margin\" id=\"group-margin\">").Append(Page.Csrf(session))
                .Append("<label>Margin call <input name=\"marginCall\" id=\"edit-margin-call\" value=\"").Append(D(g.MarginCall)).Append("\"></label>")
                .Append("<label>Stop out <input name=\"stopOut\" id=\"edit-stop-out\" value=\"").Append(D(g.StopOut)).Append("\"></label>")
                .Append(Select("unit", "edit-unit", "Levels in", g.MarginLevelUnit))
                .Append("<label>Default leverage 1:<input name=\"leverage\" id=\"edit-leverage\" inputmode=\"numeric\" value=\"").Append(g.DefaultLeverage).Append("\"></label>")
                .Append(Select("freeMargin", "edit-free-margin", "Free margin", g.FreeMarginMode))
                .Append("<button id=\"group-margin-save\">Save margin settings</button></form>");
        }
        sb.Append("</section>");

        var symbolGroups = view.GetSymbolGroups().OrderBy(s => s.Index).ToList();
        sb.Append("<section class=\"card\"><h2>Commissions and spreads by symbol group</h2>");
        if (g.Securities is null) sb.Append("<p class=\"hint\">Not configured: every symbol group with default dealing settings.</p>");
        sb.Append("<table id=\"group-securities\"><thead><tr><th>Symbol group</th><th>Trade</th><th class=\"num\">Lots</th><th class=\"num\">Spread diff</th>")
            .Append("<th class=\"num\">Commission</th><th>Type</th><th>Base</th><th>Charged</th></tr></thead><tbody>");
        foreach (var s in Securities(g, symbolGroups))
        {
            sb.Append("<tr data-sec=\"").Append(s.SecurityIndex).Append("\"><td>").Append(Page.E(SymbolGroupName(symbolGroups, s.SecurityIndex))).Append("</td><td>")
                .Append(s.TradeAllowed ? "yes" : "no").Append("</td><td class=\"num\">").Append(Page.Lots(s.LotMin)).Append('–').Append(Page.Lots(s.LotMax))
                .Append("</td><td class=\"num\">").Append(s.SpreadDiff).Append("</td><td class=\"num\">").Append(D(s.Commission)).Append("</td><td>")
                .Append(s.CommissionType).Append("</td><td>").Append(s.CommissionBase).Append("</td><td>").Append(s.CommissionCharge).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (edit)
        {
            sb.Append("<form method=\"post\" action=\"").Append(action).Append("/commission\" id=\"group-commission\">").Append(Page.Csrf(session))
                .Append("<label>Symbol group <select name=\"sec\" id=\"edit-sec\">");
            foreach (var s in symbolGroups) sb.Append("<option value=\"").Append(s.Index).Append("\">").Append(Page.E(s.Name)).Append("</option>");
            sb.Append("</select></label><label>Commission <input name=\"commission\" id=\"edit-commission\" value=\"0\"></label>")
                .Append(Select("type", "edit-comm-type", "Type", CommissionType.Money)).Append(Select("base", "edit-comm-base", "Base", CommissionBase.PerLot))
                .Append(Select("charge", "edit-comm-charge", "Charged", CommissionCharge.OnOpen))
                .Append("<label>Spread diff <input name=\"spreadDiff\" id=\"edit-spread-diff\" value=\"0\"></label><button id=\"group-commission-save\">Save symbol group</button></form>");
        }
        sb.Append("</section>");

        sb.Append("<section class=\"card\"><h2>Markups by symbol</h2><table id=\"group-markups\"><thead><tr><th>Symbol</th><th class=\"num\">Bid markup</th>")
            .Append("<th class=\"num\">Ask markup</th><th class=\"num\">Fixed spread</th><th class=\"num\">Swap long</th><th class=\"num\">Swap short</th></tr></thead><tbody>");
        foreach (var o in g.SymbolOverrides.OrderBy(o => o.Symbol, StringComparer.Ordinal))
        {
            sb.Append("<tr data-symbol=\"").Append(Page.E(o.Symbol)).Append("\"><td>").Append(Page.E(o.Symbol)).Append("</td><td class=\"num\">").Append(o.BidMarkup)
                .Append("</td><td class=\"num\">").Append(o.AskMarkup).Append("</td><td class=\"num\">").Append(o.FixedSpread is { } f ? f.ToString(CultureInfo.InvariantCulture) : "feed's")
                .Append("</td><td class=\"num\">").Append(o.SwapLong is { } l ? D(l) : "symbol's").Append("</td><td class=\"num\">").Append(o.SwapShort is { } s ? D(s) : "symbol's")
                .Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (edit)
        {
            sb.Append("<form method=\"post\" action=\"").Append(action).Append("/markup\" id=\"group-markup\">").Append(Page.Csrf(session))
                .Append("<label>Symbol <select name=\"symbol\" id=\"edit-markup-symbol\">");
            foreach (var s in view.GetSymbols().OrderBy(s => s.Name, StringComparer.Ordinal)) sb.Append("<option>").Append(Page.E(s.Name)).Append("</option>");
            sb.Append("</select></label><label>Bid markup <input name=\"bid\" id=\"edit-bid-markup\" value=\"0\"></label>")
                .Append("<label>Ask markup <input name=\"ask\" id=\"edit-ask-markup\" value=\"0\"></label>")
                .Append("<label>Fixed spread <input name=\"fixedSpread\" id=\"edit-fixed-spread\" placeholder=\"feed's\"></label><button id=\"group-markup-save\">Save markup</button></form>")
                .Append("<p class=\"hint\">Points added to the bid and to the ask after the symbol group's spread difference: a positive ask markup widens the spread, a positive bid markup narrows it.</p>");
        }
        sb.Append("</section>");
        return Page.Render(session, "Group " + g.Name, "/console/groups", sb.ToString());
    }

    public static async Task<IResult> UpdateMarginAsync(HttpContext http, string name, ILiveView view, ConsoleCommands commands)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        GroupPatch? patch = null;
        if (Dec(form["marginCall"]) is { } call && Dec(form["stopOut"]) is { } stopOut
            && int.TryParse(form["leverage"], NumberStyles.None, CultureInfo.InvariantCulture, out var leverage)
            && Enum.TryParse<MarginLevelUnit>(form["unit"], out var unit) && Enum.IsDefined(unit)
            && Enum.TryParse<FreeMarginMode>(form["freeMargin"], out var free) && Enum.IsDefined(free))
        {
            patch = new GroupPatch { MarginCall = call, StopOut = stopOut, DefaultLeverage = leverage, MarginLevelUnit = unit, FreeMarginMode = free };
        }
        return await PatchAsync(http, name, view, commands, _ => patch, "margin settings saved",
            "invalid_data: margin call and stop out are decimals, leverage a whole number, unit and free margin one of the list");
    }

    public static async Task<IResult> UpdateCommissionAsync(HttpContext http, string name, ILiveView view, ConsoleCommands commands)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var symbolGroups = view.GetSymbolGroups().ToList();
        GroupSecurityPatch? entry = null;
        if (int.TryParse(form["sec"], NumberStyles.None, CultureInfo.InvariantCulture, out var sec) && symbolGroups.Any(s => s.Index == sec)
            && Dec(form["commission"]) is { } commission
            && Enum.TryParse<CommissionType>(form["type"], out var type) && Enum.IsDefined(type)
            && Enum.TryParse<CommissionBase>(form["base"], out var basis) && Enum.IsDefined(basis)
            && Enum.TryParse<CommissionCharge>(form["charge"], out var charge) && Enum.IsDefined(charge)
            && Points(form["spreadDiff"]) is { } spreadDiff)
        {
            entry = new GroupSecurityPatch
            {
                SecurityIndex = sec, Commission = commission, CommissionType = type, CommissionBase = basis, CommissionCharge = charge, SpreadDiff = spreadDiff,
            };
        }
        return await PatchAsync(http, name, view, commands, g => entry is null ? null : new GroupPatch
        {
            // Every current entry by its key alone (unchanged), the edited one with its values; a new key is added.
            Securities = Securities(g, symbolGroups).Where(s => s.SecurityIndex != entry.SecurityIndex)
                .Select(s => new GroupSecurityPatch { SecurityIndex = s.SecurityIndex }).Append(entry).OrderBy(s => s.SecurityIndex).ToList(),
        }, "commission saved", $"invalid_data: pick a symbol group; commission is a decimal, spread diff whole points (±{MaxPoints})");
    }

    public static async Task<IResult> UpdateMarkupAsync(HttpContext http, string name, ILiveView view, ConsoleCommands commands)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var symbol = form["symbol"].ToString();
        var fixedText = form["fixedSpread"].ToString().Trim();
        int? fixedSpread = fixedText.Length == 0 ? null : int.TryParse(fixedText, NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f <= MaxPoints ? f : -1;
        GroupSymbolOverridePatch? entry = null;
        if (view.GetSymbol(symbol) is not null && Points(form["bid"]) is { } bid && Points(form["ask"]) is { } ask && fixedSpread is not -1)
        {
            entry = new GroupSymbolOverridePatch { Symbol = symbol, BidMarkup = bid, AskMarkup = ask, FixedSpread = fixedSpread, ClearFixedSpread = fixedSpread is null };
        }
        return await PatchAsync(http, name, view, commands, g => entry is null ? null : new GroupPatch
        {
            SymbolOverrides = g.SymbolOverrides.Where(o => o.Symbol != entry.Symbol).Select(o => new GroupSymbolOverridePatch { Symbol = o.Symbol }).Append(entry).ToList(),
        }, $"markup of {symbol} saved", $"invalid_data: pick a symbol; markups are whole points (±{MaxPoints}), the fixed spread empty or 0-{MaxPoints}");
    }

    private static async Task<IResult> PatchAsync(HttpContext http, string name, ILiveView view, ConsoleCommands commands, Func<GroupConfig, GroupPatch?> build,
        string done, string invalid)
    {
        var session = ConsoleGuard.Current(http);
        if (!MayEdit(session, name)) return Page.Forbidden(session, "editing a group needs the config right and the group inside your mask, or an administrator");
        if (Visible(session, view, name) is not { } group) return NotFound(session);
        if (build(group) is not { } patch)
        {
            session.Flash = invalid;
            session.FlashIsError = true;
            return Results.Redirect(Link(name));
        }
        var result = await commands.SubmitAsync(session, new PatchGroup(name, patch), http.RequestAborted);
        if (result.IsOk) session.Flash = $"Group {name}: {done}.";
        return Results.Redirect(Link(name));
    }

    /// <summary>UpdateGroup's check: the config right with the group inside the mask, or an administrator.</summary>
    public static bool MayEdit(ConsoleSession session, string group) => session.Identity.IsAdmin || (session.Can(Rights.Config) && session.Sees(group));

    private static GroupConfig? Visible(ConsoleSession session, ILiveView view, string name) => session.Sees(name) ? view.GetGroup(name) : null;

    /// <summary>The group's secgroups, or every symbol group with defaults when they are not configured (what the engine deals with then).</summary>
    private static IEnumerable<GroupSecurity> Securities(GroupConfig g, IEnumerable<SymbolGroupConfig> symbolGroups) =>
        g.Securities ?? symbolGroups.Select(s => new GroupSecurity { SecurityIndex = s.Index });

    private static string SymbolGroupName(IEnumerable<SymbolGroupConfig> groups, int index) =>
        groups.FirstOrDefault(s => s.Index == index)?.Name ?? "#" + index.ToString(CultureInfo.InvariantCulture);

    private static IResult NotFound(ConsoleSession session) =>
        Page.Render(session, "Not found", "/console/groups", Page.Notice("group_not_found: no visible group of that name", true), StatusCodes.Status404NotFound);

    private static string Link(string name) => "/console/groups/" + Uri.EscapeDataString(name);

    private static string Level(decimal value, GroupConfig g) => D(value) + (g.MarginLevelUnit == MarginLevelUnit.Percent ? "%" : " " + g.Currency);

    private static decimal? Dec(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && Math.Abs(d) <= 1_000_000_000_000_000m ? d : null;

    private static int? Points(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) && Math.Abs(p) <= MaxPoints ? p : null;

    private static string Select<T>(string name, string id, string label, T selected) where T : struct, Enum
    {
        var sb = new StringBuilder("<label>").Append(Page.E(label)).Append(" <select name=\"").Append(name).Append("\" id=\"").Append(id).Append("\">");
        foreach (var v in Enum.GetValues<T>()) sb.Append("<option").Append(v.Equals(selected) ? " selected" : "").Append('>').Append(v).Append("</option>");
        return sb.Append("</select></label>").ToString();
    }

    private static string Term(string term, string value, string id) => $"<dt>{Page.E(term)}</dt><dd id=\"{id}\">{Page.E(value)}</dd>";

    private static string D(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
