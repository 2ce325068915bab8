using System.Globalization;
using System.Text;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Exports;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Reports;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// The daily statement of an account (screen 8): per closed trading day, the end-of-day figures the history store keeps
/// (balance, credit, equity, margin, free margin, floating P/L) and the day's movements from the ledger (deposits,
/// withdrawals, credit, closed P/L, other), with the opening balance; on screen and as CSV. Rights: <c>see_accounts</c>
/// and <c>see_accounts_balance</c> (it lists balance operations, as the ledger view does), the account inside the mask.
/// </summary>
internal static class StatementScreen
{
    /// <summary>Longest range of one statement: a year of days, so a request never walks an unbounded ledger.</summary>
    private const int MaxDays = 366;

    private const int LedgerBatch = 1_000;

    public static async Task<IResult> ShowAsync(HttpContext http, long login, ILiveView view, IHistoryStore history, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        if (Refusal(session) is { } refusal) return Page.Forbidden(session, refusal);
        if (AccountsScreen.Visible(session, view, login) is null) return AccountsScreen.NotFound(session, login);
        var (from, to) = Range(http.Request, time);
        var days = await BuildAsync(history, login, from, to, http.RequestAborted);

        var sb = new StringBuilder("<p><a href=\"/console/accounts/").Append(Page.E(login)).Append("\">‹ Account ").Append(Page.E(login)).Append("</a></p>")
            .Append("<form method=\"get\" action=\"/console/accounts/").Append(Page.E(login)).Append("/statement\" class=\"filters\" id=\"statement-range\">")
            .Append("<label>From <input type=\"date\" name=\"from\" id=\"statement-from\" value=\"").Append(Iso(from)).Append("\"></label>")
            .Append("<label>To <input type=\"date\" name=\"to\" id=\"statement-to\" value=\"").Append(Iso(to)).Append("\"></label><button>Show</button> ")
            .Append("<a id=\"statement-export\" href=\"/console/accounts/").Append(Page.E(login)).Append("/statement.csv?from=").Append(Iso(from)).Append("&amp;to=").Append(Iso(to))
            .Append("\">Export CSV</a> <a id=\"statement-export-xlsx\" href=\"/console/accounts/").Append(Page.E(login)).Append("/statement.xlsx?from=").Append(Iso(from))
            .Append("&amp;to=").Append(Iso(to)).Append("\">Export Excel</a></form>");
        sb.Append("<table id=\"statement\"><thead><tr><th>Day</th><th class=\"num\">Opening balance</th><th class=\"num\">Deposits</th><th class=\"num\">Withdrawals</th>")
            .Append("<th class=\"num\">Credit in/out</th><th class=\"num\">Closed P/L</th><th class=\"num\">Other</th><th class=\"num\">Balance</th><th class=\"num\">Credit</th>")
            .Append("<th class=\"num\">Equity</th><th class=\"num\">Margin</th><th class=\"num\">Free margin</th><th class=\"num\">Floating P/L</th></tr></thead><tbody>");
        foreach (var d in days.OrderByDescending(d => d.Day))
        {
            sb.Append("<tr data-day=\"").Append(Iso(d.Day)).Append('"').Append(d.Reconciles ? "" : " class=\"refused\" title=\"movements do not explain the balance\"").Append("><td>")
                .Append(Iso(d.Day)).Append("</td>");
            foreach (var (value, cls) in new[]
            {
                (d.OpeningBalance, "opening"), (d.Deposits, "deposits"), (d.Withdrawals, "withdrawals"), (d.CreditMovements, "credit-moves"),
                (d.ClosedProfit, "closed"), (d.Other, "other"), (d.Balance, "balance"), (d.Credit, "credit"), (d.Equity, "equity"), (d.Margin, "margin"),
                (d.FreeMargin, "free-margin"), (d.Floating, "floating"),
            })
            {
                sb.Append("<td class=\"num ").Append(cls).Append("\">").Append(Page.Money(value)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (days.Count == 0) sb.Append("<p id=\"statement-empty\">No trading day of this account closed in this range.</p>");
        sb.Append("<p class=\"hint\">A day runs from the previous rollover to its own. Closed P/L: trading results, commissions and swaps booked; ")
            .Append("other: corrections, bonuses, charges, agent commissions, stop-out compensation. Opening balance + movements = balance.</p>");
        return Page.Render(session, $"Daily statement · account {login}", "/console/accounts", sb.ToString());
    }

    private static readonly string[] Columns =
    [
        "day", "login", "currency", "opening_balance", "deposits", "withdrawals", "credit_movements", "closed_pl", "other", "balance", "credit",
        "equity", "margin", "free_margin", "floating_pl",
    ];

    /// <summary>The statement as CSV (invariant culture, one line per day, oldest first).</summary>
    public static async Task ExportAsync(HttpContext http, long login, ILiveView view, IHistoryStore history, TimeProvider time)
    {
        if (await ExportRowsAsync(http, login, view, history, time) is not { } export) return;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{export.FileName}.csv\"";
        var sb = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var row in export.Rows) sb.AppendJoin(',', row.Select(c => c is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : c?.ToString())).Append('\n');
        await http.Response.WriteAsync(sb.ToString(), http.RequestAborted);
    }

    /// <summary>The same statement as an Excel workbook: numeric cells, the day as text, no total (balances do not add up across days).</summary>
    public static async Task ExportExcelAsync(HttpContext http, long login, ILiveView view, IHistoryStore history, TimeProvider time)
    {
        if (await ExportRowsAsync(http, login, view, history, time) is not { } export) return;
        var table = new ExportTable(Columns);
        foreach (var row in export.Rows) table.Add(row);
        using var file = new MemoryStream();
        XlsxTableWriter.Write(file, table, "Statement " + login.ToString(CultureInfo.InvariantCulture));
        http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{export.FileName}.xlsx\"";
        await http.Response.Body.WriteAsync(file.ToArray(), http.RequestAborted);
    }

    /// <summary>The rows of an export (one per day, oldest first), or null after answering 403/404.</summary>
    private static async Task<(string FileName, List<object?[]> Rows)?> ExportRowsAsync(HttpContext http, long login, ILiveView view, IHistoryStore history, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        var refusal = Refusal(session) ?? (AccountsScreen.Visible(session, view, login) is null ? "account_not_found" : null);
        if (refusal is not null)
        {
            http.Response.StatusCode = refusal == "account_not_found" ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync(refusal == "account_not_found" ? $"account_not_found: no visible account {login}" : "forbidden: " + refusal, http.RequestAborted);
            return null;
        }
        var (from, to) = Range(http.Request, time);
        var days = await BuildAsync(history, login, from, to, http.RequestAborted);
        var rows = days.Select(d => new object?[]
        {
            Iso(d.Day), login, d.Currency, d.OpeningBalance, d.Deposits, d.Withdrawals, d.CreditMovements, d.ClosedProfit, d.Other, d.Balance, d.Credit,
            d.Equity, d.Margin, d.FreeMargin, d.Floating,
        }).ToList();
        return ($"statement-{login}-{Iso(from)}-{Iso(to)}", rows);
    }

    /// <summary>The end-of-day rows of the range (and the one before it, which opens the first day) with the ledger between them.</summary>
    internal static async Task<IReadOnlyList<StatementDay>> BuildAsync(IHistoryStore history, long login, DateOnly from, DateOnly to, CancellationToken ct)
    {
        // A week back finds the previous closed day across a weekend or a short outage; further back, the first day opens at its own figures.
        var rows = (await history.GetEndOfDayAsync(login, from.AddDays(-7), to, ct)).OrderBy(r => r.Day).ToList();
        var before = rows.LastOrDefault(r => r.Day < from);
        var inRange = rows.Where(r => r.Day >= from).ToList();
        if (inRange.Count == 0) return [];
        var ledger = new List<LedgerEntry>();
        HistoryCursor? after = null;
        do
        {
            var page = await history.GetLedgerAsync(new HistoryQuery
            {
                Login = login, From = DailyStatement.WindowStart(inRange, before), To = inRange[^1].RolloverTime - 1, Limit = LedgerBatch, After = after,
            }, ct);
            ledger.AddRange(page.Rows);
            after = page.Next;
        }
        while (after is not null);
        return DailyStatement.Build(inRange, before, ledger);
    }

    private static string? Refusal(ConsoleSession session) =>
        !session.Can(Rights.SeeAccounts) ? "see_accounts is required"
        : !session.Can(Rights.SeeBalance) ? "see_accounts_balance is required (the statement lists balance operations)"
        : null;

    /// <summary>From/to days of the query (default: the last 31 days), at most <see cref="MaxDays"/> apart.</summary>
    private static (DateOnly From, DateOnly To) Range(HttpRequest request, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var to = Parse(request.Query["to"]) ?? today;
        var from = Parse(request.Query["from"]) ?? to.AddDays(-30);
        if (from > to) (from, to) = (to, from);
        if (to.DayNumber - from.DayNumber > MaxDays) from = to.AddDays(-MaxDays);
        return (from, to);
    }

    private static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
