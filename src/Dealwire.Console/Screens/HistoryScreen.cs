using System.Globalization;
using System.Text;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Exports;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// History and reports (screen 8): closed deals, cancelled orders and finance records, or the ledger, of the visible
/// groups (or one login), paged with the history store's keyset cursor (stable while new rows arrive: a page never
/// repeats or skips a row), and a CSV export of the whole selection that the console streams page by page, so an
/// export of a million rows never sits in memory.
/// </summary>
internal static class HistoryScreen
{
    private const int ExportBatch = 1_000;

    private sealed record Filter(string View, long? Login, HistoryKinds Kinds, long From, long To, HistoryCursor? After);

    public static async Task<IResult> ShowAsync(HttpContext http, IHistoryReader history, ConsoleOptions options)
    {
        var session = ConsoleGuard.Current(http);
        var f = Parse(http.Request);
        if (!Allowed(session, f)) return Page.Forbidden(session, f.View == "ledger" ? "see_accounts_balance is required" : "see_trades is required");
        var sb = new StringBuilder(Form(f));
        string? next;
        if (f.View == "ledger")
        {
            var page = await history.GetLedgerAsync(Query(session, f, options.PageSize), http.RequestAborted);
            sb.Append("<table id=\"history-ledger\"><thead><tr><th>Time</th><th>Id</th><th>Login</th><th>Kind</th><th class=\"num\">Amount</th><th class=\"num\">Balance after</th>")
                .Append("<th class=\"num\">Credit after</th><th>Ticket</th><th>Comment</th></tr></thead><tbody>");
            foreach (var e in page.Rows)
            {
                sb.Append("<tr data-id=\"").Append(Page.E(e.Id)).Append("\"><td>").Append(Page.Time(e.Time)).Append("</td><td>").Append(Page.E(e.Id)).Append("</td><td>")
                    .Append(Page.E(e.Login)).Append("</td><td>").Append(Page.E(e.Kind.ToString())).Append("</td><td class=\"num\">").Append(Page.Money(e.Amount))
                    .Append("</td><td class=\"num\">").Append(Page.Money(e.BalanceAfter)).Append("</td><td class=\"num\">").Append(Page.Money(e.CreditAfter))
                    .Append("</td><td>").Append(Page.E(e.Ticket)).Append("</td><td>").Append(Page.E(e.Comment)).Append("</td></tr>");
            }
            next = page.Next?.Format();
        }
        else
        {
            var page = await history.GetTradesAsync(Query(session, f, options.PageSize), http.RequestAborted);
            sb.Append("<table id=\"history-trades\"><thead><tr><th>Closed</th><th>Ticket</th><th>Login</th><th>Symbol</th><th>Type</th><th class=\"num\">Lots</th>")
                .Append("<th class=\"num\">Open price</th><th class=\"num\">Close price</th><th class=\"num\">Profit</th><th>Comment</th></tr></thead><tbody>");
            foreach (var t in page.Rows)
            {
                sb.Append("<tr data-ticket=\"").Append(Page.E(t.Ticket)).Append("\"><td>").Append(Page.Time(t.CloseTime)).Append("</td><td>").Append(Page.E(t.Ticket))
                    .Append("</td><td>").Append(Page.E(t.Login)).Append("</td><td>").Append(Page.E(t.Symbol)).Append("</td><td>").Append(Page.E(t.Command.ToString()))
                    .Append("</td><td class=\"num\">").Append(Page.Lots(t.Volume)).Append("</td><td class=\"num\">").Append(Page.Price(t.OpenPrice, t.Digits))
                    .Append("</td><td class=\"num\">").Append(Page.Price(t.ClosePrice, t.Digits)).Append("</td><td class=\"num\">").Append(Page.Money(t.Profit))
                    .Append("</td><td>").Append(Page.E(t.Comment)).Append("</td></tr>");
            }
            next = page.Next?.Format();
        }
        sb.Append("</tbody></table><p class=\"pager\">");
        if (f.After is not null) sb.Append("<a href=\"").Append(Page.E(Link(f with { After = null }, "/console/history"))).Append("\">« first</a> ");
        if (next is not null) sb.Append("<a rel=\"next\" id=\"history-next\" href=\"").Append(Page.E(Link(f, "/console/history") + "&after=" + Uri.EscapeDataString(next))).Append("\">next ›</a>");
        sb.Append("</p>");
        return Page.Render(session, "History", "/console/history", sb.ToString());
    }

    private static readonly string[] LedgerColumns = ["id", "time", "login", "kind", "amount", "balance_after", "credit_after", "ticket", "comment"];

    private static readonly string[] TradeColumns =
        ["ticket", "login", "symbol", "type", "volume_lots", "open_time", "open_price", "close_time", "close_price", "commission", "swap", "profit", "comment"];

    /// <summary>The money columns the Excel export totals.</summary>
    private static readonly string[] LedgerTotals = ["amount"];

    private static readonly string[] TradeTotals = ["volume_lots", "commission", "swap", "profit"];

    /// <summary>The selection as CSV (invariant culture, RFC 4180 quoting), written as each page of the store arrives.</summary>
    public static async Task ExportAsync(HttpContext http, IHistoryReader history)
    {
        if (await Refused(http) is not { } request) return;
        var (session, f) = request;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"dealwire-{f.View}.csv\"";
        var ct = http.RequestAborted;
        await http.Response.WriteAsync(string.Join(",", Columns(f)) + "\n", ct);
        await foreach (var page in PagesAsync(history, session, f, ct))
        {
            var sb = new StringBuilder();
            foreach (var row in page) sb.AppendJoin(',', row.Select(CsvCell)).Append('\n');
            await http.Response.WriteAsync(sb.ToString(), ct);
        }
    }

    /// <summary>
    /// The same selection as an Excel workbook: the same rows and columns as the CSV (numbers as numeric cells, times as
    /// UTC text), plus a bold total of the money columns. Written page by page to a temporary file (the package format
    /// needs a seekable stream), then sent; an Excel sheet ends at about a million rows, so a larger selection is refused
    /// with 413 (the CSV export has no such limit).
    /// </summary>
    public static async Task ExportExcelAsync(HttpContext http, IHistoryReader history)
    {
        if (await Refused(http) is not { } request) return;
        var (session, f) = request;
        var ct = http.RequestAborted;
        var columns = Columns(f);
        var summed = (f.View == "ledger" ? LedgerTotals : TradeTotals).Select(c => Array.IndexOf(columns, c)).ToArray();
        var sums = new decimal[columns.Length];
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024))
            {
                using var sheet = new XlsxSheetWriter(file, columns, f.View == "ledger" ? "Ledger" : "Trades");
                await foreach (var page in PagesAsync(history, session, f, ct))
                {
                    if (sheet.Rows + page.Count > XlsxSheetWriter.MaxRows)
                    {
                        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                        await http.Response.WriteAsync($"too_many_rows: an Excel sheet holds {XlsxSheetWriter.MaxRows} rows; narrow the selection or export CSV", ct);
                        return;
                    }
                    foreach (var row in page)
                    {
                        foreach (var i in summed) sums[i] += (decimal)row[i]!;
                        sheet.WriteRow(row);
                    }
                }
                var total = new object?[columns.Length];
                total[0] = ExportTable.TotalLabel;
                foreach (var i in summed) total[i] = sums[i];
                sheet.WriteTotal(total);
            }
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"dealwire-{f.View}.xlsx\"";
            await http.Response.SendFileAsync(path, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The session and filter of an export, or null after answering 403 (the right the view needs is missing).</summary>
    private static async Task<(ConsoleSession Session, Filter Filter)?> Refused(HttpContext http)
    {
        var session = ConsoleGuard.Current(http);
        var f = Parse(http.Request) with { After = null };
        if (Allowed(session, f)) return (session, f);
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await http.Response.WriteAsync("forbidden: missing right", http.RequestAborted);
        return null;
    }

    private static string[] Columns(Filter f) => f.View == "ledger" ? LedgerColumns : TradeColumns;

    /// <summary>The whole selection, one store page (1 000 rows) at a time, as cells of <see cref="Columns"/>: one source for both formats.</summary>
    private static async IAsyncEnumerable<List<object?[]>> PagesAsync(IHistoryReader history, ConsoleSession session, Filter f,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        HistoryCursor? after = null;
        do
        {
            if (f.View == "ledger")
            {
                var page = await history.GetLedgerAsync(Query(session, f with { After = after }, ExportBatch), ct);
                yield return page.Rows.Select(e => new object?[]
                {
                    e.Id, Utc(e.Time), e.Login, e.Kind.ToString(), e.Amount, e.BalanceAfter, e.CreditAfter, e.Ticket, e.Comment,
                }).ToList();
                after = page.Next;
            }
            else
            {
                var page = await history.GetTradesAsync(Query(session, f with { After = after }, ExportBatch), ct);
                yield return page.Rows.Select(t => new object?[]
                {
                    t.Ticket, t.Login, t.Symbol, t.Command.ToString(), t.Volume / 100m, Utc(t.OpenTime), t.OpenPrice, Utc(t.CloseTime), t.ClosePrice,
                    t.Commission, t.Swap, t.Profit, t.Comment,
                }).ToList();
                after = page.Next;
            }
        }
        while (after is not null);
    }

    private static DateTime? Utc(long ms) => ms <= 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    /// <summary>A CSV field: times ISO 8601 with milliseconds, numbers invariant, text quoted and defused (<see cref="Csv"/>).</summary>
    private static string CsvCell(object? cell) => cell switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        string s => Csv(s),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => Csv(cell.ToString() ?? ""),
    };

    private static bool Allowed(ConsoleSession session, Filter f) => session.Can(f.View == "ledger" ? Rights.SeeBalance : Rights.SeeTrades);

    private static HistoryQuery Query(ConsoleSession session, Filter f, int limit) => new()
    {
        Login = f.Login, Mask = session.Mask, Kinds = f.Kinds, From = f.From, To = f.To, Limit = limit, After = f.After,
    };

    private static Filter Parse(HttpRequest request)
    {
        var q = request.Query;
        var view = q["view"] == "ledger" ? "ledger" : "trades";
        var kinds = q["kind"].ToString() switch { "deals" => HistoryKinds.Deals, "orders" => HistoryKinds.Orders, "finance" => HistoryKinds.Finance, _ => HistoryKinds.All };
        var login = long.TryParse(q["login"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : (long?)null;
        var from = DateOnly.TryParseExact(q["from"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fd) ? Ms(fd) : 0;
        var to = DateOnly.TryParseExact(q["to"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var td) ? Ms(td.AddDays(1)) - 1 : long.MaxValue;
        HistoryCursor? after = HistoryCursor.TryParse(q["after"], out var c) ? c : null;
        return new Filter(view, login, kinds, from, to, after);
    }

    private static string Form(Filter f)
    {
        var sb = new StringBuilder("<form method=\"get\" action=\"/console/history\" class=\"filters\"><label>View <select name=\"view\" id=\"history-view\">")
            .Append("<option value=\"trades\"").Append(f.View == "trades" ? " selected" : "").Append(">Deals, orders, finance</option><option value=\"ledger\"")
            .Append(f.View == "ledger" ? " selected" : "").Append(">Ledger</option></select></label><label>Kind <select name=\"kind\" id=\"history-kind\">");
        foreach (var (value, label, kind) in new[] { ("", "all", HistoryKinds.All), ("deals", "deals", HistoryKinds.Deals), ("orders", "orders", HistoryKinds.Orders), ("finance", "finance", HistoryKinds.Finance) })
        {
            sb.Append("<option value=\"").Append(value).Append('"').Append(kind == f.Kinds ? " selected" : "").Append('>').Append(label).Append("</option>");
        }
        sb.Append("</select></label><label>Login <input name=\"login\" id=\"history-login\" value=\"").Append(f.Login is { } l ? Page.E(l) : "")
            .Append("\"></label><label>From <input name=\"from\" type=\"date\" value=\"").Append(f.From > 0 ? Day(f.From) : "")
            .Append("\"></label><label>To <input name=\"to\" type=\"date\" value=\"").Append(f.To < long.MaxValue ? Day(f.To) : "")
            .Append("\"></label><button>Show</button> <a id=\"history-export\" href=\"").Append(Page.E(Link(f, "/console/history/export.csv"))).Append("\">Export CSV</a> <a id=\"history-export-xlsx\" href=\"")
            .Append(Page.E(Link(f, "/console/history/export.xlsx"))).Append("\">Export Excel</a></form>");
        return sb.ToString();
    }

    private static string Link(Filter f, string path)
    {
        var parts = new List<string> { "view=" + f.View };
        if (f.Kinds != HistoryKinds.All) parts.Add("kind=" + f.Kinds.ToString().ToLowerInvariant());
        if (f.Login is { } l) parts.Add("login=" + l.ToString(CultureInfo.InvariantCulture));
        if (f.From > 0) parts.Add("from=" + Day(f.From));
        if (f.To < long.MaxValue) parts.Add("to=" + Day(f.To));
        if (f.After is { } a) parts.Add("after=" + Uri.EscapeDataString(a.Format()));
        return path + "?" + string.Join("&", parts);
    }

    private static long Ms(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static string Day(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);


    /// <summary>
    /// One CSV field. Comments come from clients: a leading =, +, - or @ is prefixed with an apostrophe so a
    /// spreadsheet opening the export shows the text instead of evaluating it as a formula.
    /// </summary>
    private static string Csv(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
