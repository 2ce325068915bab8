using System.Globalization;
using System.Text;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.WebConsole.Search;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Accounts: a search over the accounts the manager's mask covers (login, name, e-mail, group), filtered and paged
/// on the server; the account card with its live figures; enable/disable, read-only, leverage and password reset
/// as <see cref="PatchAccount"/> commands (what MngUpdateAccount submits).
/// </summary>
internal static class AccountsScreen
{
    public const int MinPasswordLength = 6;

    public static IResult List(HttpContext http, ILiveView view, ConsoleOptions options, AccountIndex index)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeAccounts)) return Page.Forbidden(session, "see_accounts is required");
        var q = http.Request.Query["q"].ToString().Trim();
        var group = http.Request.Query["group"].ToString().Trim();
        var page = Page.PageNumber(http.Request);

        // The index finds the page's logins without scanning every account; the figures come from the live view, per row.
        var (total, logins) = index.Search(q, group, session.Sees, (page - 1) * options.PageSize, options.PageSize);
        var rows = logins.Select(view.GetAccount).OfType<AccountSnapshot>();

        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"/console/accounts\" class=\"filters\" id=\"account-search\">")
            .Append("<label>Login, name or e-mail <input name=\"q\" id=\"q\" value=\"").Append(Page.E(q)).Append("\"></label>")
            .Append("<label>Group <select name=\"group\" id=\"group\"><option value=\"\">all visible</option>");
        foreach (var g in view.GetGroups().Where(g => session.Sees(g.Name)).OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            body.Append("<option").Append(g.Name == group ? " selected" : "").Append('>').Append(Page.E(g.Name)).Append("</option>");
        }
        body.Append("</select></label><button type=\"submit\">Search</button></form>");
        body.Append("<table id=\"accounts\"><thead><tr><th>Login</th><th>Name</th><th>E-mail</th><th>Group</th><th class=\"num\">Balance</th>")
            .Append("<th class=\"num\">Equity</th><th class=\"num\">Margin level</th><th>Flags</th></tr></thead><tbody>");
        foreach (var a in rows)
        {
            var p = a.Profile;
            body.Append("<tr data-login=\"").Append(Page.E(p.Login)).Append("\"><td><a href=\"/console/accounts/").Append(Page.E(p.Login)).Append("\">")
                .Append(Page.E(p.Login)).Append("</a></td><td>").Append(Page.E(p.Name)).Append("</td><td>").Append(Page.E(p.Email))
                .Append("</td><td>").Append(Page.E(p.Group)).Append("</td><td class=\"num\">").Append(Page.Money(a.Margin.Balance))
                .Append("</td><td class=\"num\">").Append(Page.Money(a.Margin.Equity)).Append("</td><td class=\"num\">").Append(Level(a.Margin))
                .Append("</td><td>").Append(Flags(p)).Append("</td></tr>");
        }
        body.Append("</tbody></table>").Append(Page.Pager(http.Request, page, options.PageSize, total));
        return Page.Render(session, "Accounts", "/console/accounts", body.ToString());
    }

    /// <summary>Days of end-of-day figures the card's equity chart shows.</summary>
    private const int EquityChartDays = 90;

    public static async Task<IResult> CardAsync(HttpContext http, long login, ILiveView view, IHistoryStore history, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeAccounts)) return Page.Forbidden(session, "see_accounts is required");
        if (Visible(session, view, login) is not { } account) return NotFound(session, login);
        var p = account.Profile;
        var (flash, flashIsError) = session.TakeFlash();
        var body = new StringBuilder(Page.Notice(flash, flashIsError));
        body.Append("<section class=\"card\"><h2>Money</h2><div id=\"figures\" data-live=\"/console/live/account/").Append(Page.E(login)).Append("\">")
            .Append(Figures(account)).Append("</div></section>");
        body.Append("<section class=\"card\"><h2>Profile</h2><dl id=\"profile\">")
            .Append(Term("Name", p.Name)).Append(Term("E-mail", p.Email)).Append(Term("Group", p.Group))
            .Append(Term("Leverage", "1:" + account.Margin.Leverage.ToString(CultureInfo.InvariantCulture)))
            .Append(Term("Flags", Flags(p), encoded: true)).Append(Term("Registered", Page.Time(p.RegistrationTime)))
            .Append("</dl></section>");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var days = (await history.GetEndOfDayAsync(login, today.AddDays(-EquityChartDays), today, http.RequestAborted)).OrderBy(r => r.Day).ToList();
        body.Append("<section class=\"card\"><h2>Equity history</h2>").Append(EquityChart.Svg(days));
        if (session.Can(Rights.SeeBalance))
        {
            body.Append("<p><a id=\"statement-link\" href=\"/console/accounts/").Append(Page.E(login)).Append("/statement\">Daily statement ›</a></p>");
        }
        body.Append("</section>");
        if (session.Can(Rights.SetAccounts))
        {
            var action = "/console/accounts/" + Page.E(login);
            body.Append("<section class=\"card actions\"><h2>Account actions</h2>")
                .Append(Toggle(session, action + "/enabled", p.Enabled ? "Disable account" : "Enable account", !p.Enabled, "toggle-enabled"))
                .Append(Toggle(session, action + "/readonly", p.ReadOnly ? "Allow trading (clear read-only)" : "Make read-only", !p.ReadOnly, "toggle-readonly"))
                .Append("<form method=\"post\" action=\"").Append(action).Append("/leverage\">").Append(Page.Csrf(session))
                .Append("<label>Leverage 1:<input type=\"number\" name=\"leverage\" id=\"leverage\" min=\"1\" max=\"10000\" required value=\"")
                .Append(Page.E(account.Margin.Leverage)).Append("\"></label><button id=\"set-leverage\">Change leverage</button></form>")
                .Append("<form method=\"post\" action=\"").Append(action).Append("/password\">").Append(Page.Csrf(session))
                .Append("<label>New password<input type=\"password\" name=\"password\" id=\"new-password\" autocomplete=\"new-password\" minlength=\"")
                .Append(MinPasswordLength).Append("\" required></label><button id=\"reset-password\">Reset password</button></form></section>");
        }
        if (session.Can(Rights.SetBalance)) body.Append(BalanceScreen.Form(session, login));
        return Page.Render(session, $"Account {login}", "/console/accounts", body.ToString());
    }

    /// <summary>The money block of the card; also what the live stream pushes when the account changes.</summary>
    public static string Figures(AccountSnapshot account)
    {
        var m = account.Margin;
        return new StringBuilder("<dl class=\"figures\">")
            .Append(Term("Balance", Page.Money(m.Balance), id: "balance")).Append(Term("Credit", Page.Money(m.Credit), id: "credit"))
            .Append(Term("Equity", Page.Money(m.Equity), id: "equity")).Append(Term("Margin", Page.Money(m.Margin), id: "margin"))
            .Append(Term("Free margin", Page.Money(m.FreeMargin), id: "free-margin")).Append(Term("Margin level", Level(m), id: "level"))
            .Append(Term("Floating P/L", Page.Money(m.Profit + m.Swap), id: "floating")).Append(Term("Currency", m.Currency))
            .Append("</dl>").ToString();
    }

    public static async Task<IResult> SetEnabledAsync(HttpContext http, long login, ILiveView view, ConsoleCommands commands) =>
        await PatchAsync(http, login, view, commands, await FlagAsync(http, "value") is { } on ? new AccountPatch { Enabled = on } : null,
            "account {0}");

    public static async Task<IResult> SetReadOnlyAsync(HttpContext http, long login, ILiveView view, ConsoleCommands commands) =>
        await PatchAsync(http, login, view, commands, await FlagAsync(http, "value") is { } on ? new AccountPatch { ReadOnly = on } : null, "account {0}");

    public static async Task<IResult> SetLeverageAsync(HttpContext http, long login, ILiveView view, ConsoleCommands commands)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var ok = int.TryParse(form["leverage"], NumberStyles.None, CultureInfo.InvariantCulture, out var leverage) && leverage is >= 1 and <= 10000;
        return await PatchAsync(http, login, view, commands, ok ? new AccountPatch { Leverage = leverage } : null, "leverage changed", "invalid_leverage: a whole number 1-10000");
    }

    public static async Task<IResult> ResetPasswordAsync(HttpContext http, long login, ILiveView view, ConsoleCommands commands)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var password = form["password"].ToString();
        var ok = password.Length is >= MinPasswordLength and <= 64;
        return await PatchAsync(http, login, view, commands, ok ? new AccountPatch { PasswordHash = PasswordHash.Create(password) } : null,
            "password reset", $"invalid_password: {MinPasswordLength}-64 characters");
    }

    private static async Task<IResult> PatchAsync(HttpContext http, long login, ILiveView view, ConsoleCommands commands, AccountPatch? patch,
        string done, string invalid = "invalid_data")
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SetAccounts)) return Page.Forbidden(session, "set_accounts is required");
        if (Visible(session, view, login) is null) return NotFound(session, login);
        if (patch is null)
        {
            session.Flash = invalid;
            session.FlashIsError = true;
            return Results.Redirect($"/console/accounts/{login}");
        }
        var result = await commands.SubmitAsync(session, new PatchAccount(login, patch), http.RequestAborted);
        if (result.IsOk && result.Value is { } a)
        {
            session.Flash = string.Format(CultureInfo.InvariantCulture, done, a.Profile.Enabled ? (a.Profile.ReadOnly ? "enabled, read-only" : "enabled") : "disabled");
        }
        return Results.Redirect($"/console/accounts/{login}");
    }

    private static async Task<bool?> FlagAsync(HttpContext http, string name)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        return form[name].ToString() switch { "true" => true, "false" => false, _ => null };
    }

    /// <summary>The account when the session's mask covers its group; null otherwise (a hidden account looks like a missing one).</summary>
    public static AccountSnapshot? Visible(ConsoleSession session, ILiveView view, long login) =>
        view.GetAccount(login) is { } a && session.Sees(a.Profile.Group) ? a : null;

    public static IResult NotFound(ConsoleSession session, long login) =>
        Page.Render(session, "Not found", "/console/accounts", Page.Notice($"account_not_found: no visible account {login}", error: true), StatusCodes.Status404NotFound);

    public static string Level(MarginSnapshot m) =>
        m.Margin == 0 ? "—" : m.MarginLevel.ToString("0.00", CultureInfo.InvariantCulture) + "%" + (m.LevelType switch
        {
            MarginLevelType.MarginCall => " (margin call)",
            MarginLevelType.StopOut => " (stop out)",
            _ => "",
        });

    private static string Flags(AccountProfile p)
    {
        var flags = new List<string> { p.Enabled ? "<span class=\"flag ok\">enabled</span>" : "<span class=\"flag bad\">disabled</span>" };
        if (p.ReadOnly) flags.Add("<span class=\"flag warn\">read-only</span>");
        if (p.OtpEnabled) flags.Add("<span class=\"flag\">otp</span>");
        return string.Join(" ", flags);
    }

    private static string Toggle(ConsoleSession session, string action, string label, bool value, string id) =>
        $"<form method=\"post\" action=\"{action}\" class=\"inline\">{Page.Csrf(session)}<input type=\"hidden\" name=\"value\" value=\"{(value ? "true" : "false")}\"><button id=\"{id}\">{Page.E(label)}</button></form>";

    private static string Term(string name, string value, bool encoded = false, string? id = null) =>
        $"<dt>{Page.E(name)}</dt><dd{(id is null ? "" : $" id=\"{id}\"")}>{(encoded ? value : Page.E(value))}</dd>";
}
