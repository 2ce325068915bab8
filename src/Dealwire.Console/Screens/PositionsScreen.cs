using System.Globalization;
using System.Text;
using Dealwire.Engine.Commands;
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
/// Open positions and pending orders of the accounts the mask covers, filtered by group, symbol and login and paged on
/// the server; both tables are live fragments. A trade's page closes (whole or part), modifies SL/TP, or cancels,
/// through the commands MngCloseTrade, MngUpdateTrade and MngCancelTrade submit.
/// </summary>
internal static class PositionsScreen
{
    private sealed record Filter(string Group, string Symbol, long? Login, int Page, int OrdersPage);

    private static Filter ReadFilter(HttpRequest request) => new(
        request.Query["group"].ToString().Trim(),
        request.Query["symbol"].ToString().Trim().ToUpperInvariant(),
        long.TryParse(request.Query["login"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null,
        Page.PageNumber(request),
        int.TryParse(request.Query["opage"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o >= 1 ? o : 1);

    public static IResult List(HttpContext http, ILiveView view, ConsoleOptions options)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeTrades)) return Page.Forbidden(session, "see_trades is required");
        var f = ReadFilter(http.Request);
        var query = http.Request.QueryString.Value ?? "";
        var body = new StringBuilder("<form method=\"get\" action=\"/console/positions\" class=\"filters\">")
            .Append("<label>Group <input name=\"group\" id=\"f-group\" value=\"").Append(Page.E(f.Group)).Append("\"></label>")
            .Append("<label>Symbol <input name=\"symbol\" id=\"f-symbol\" value=\"").Append(Page.E(f.Symbol)).Append("\"></label>")
            .Append("<label>Login <input name=\"login\" id=\"f-login\" value=\"").Append(f.Login is { } l ? Page.E(l) : "").Append("\"></label>")
            .Append("<button>Filter</button></form>");
        body.Append("<h2>Open positions</h2><div id=\"positions\" data-live=\"/console/live/positions").Append(Page.E(query)).Append("\">")
            .Append(PositionsFragment(session, view, options, f)).Append("</div>");
        body.Append("<h2>Pending orders</h2><div id=\"orders\" data-live=\"/console/live/orders").Append(Page.E(query)).Append("\">")
            .Append(OrdersFragment(session, view, options, f)).Append("</div>");
        return Page.Render(session, "Positions & orders", "/console/positions", body.ToString());
    }

    public static Task StreamPositions(HttpContext http, ILiveView view, ConsoleOptions options, LiveStream stream) =>
        StreamAsync(http, stream, s => PositionsFragment(s, view, options, ReadFilter(http.Request)));

    public static Task StreamOrders(HttpContext http, ILiveView view, ConsoleOptions options, LiveStream stream) =>
        StreamAsync(http, stream, s => OrdersFragment(s, view, options, ReadFilter(http.Request)));

    private static async Task StreamAsync(HttpContext http, LiveStream stream, Func<ConsoleSession, string> render)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeTrades))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await stream.RunAsync(http, session, () => render(session));
    }

    /// <summary>
    /// One page of the trades the filter and the mask keep, from the live view's trade indexes (ticket order; one login's
    /// book, one symbol's tickets, or all): the mask is decided once per group, and only the page's rows are copied.
    /// </summary>
    private static TradePage PageOf(ConsoleSession session, ILiveView view, Filter f, bool pending, int page, int pageSize) =>
        view.GetTradePage(pending, f.Login, f.Symbol, g => session.Sees(g) && (f.Group.Length == 0 || g == f.Group), (page - 1) * pageSize, pageSize);

    private static string PositionsFragment(ConsoleSession session, ILiveView view, ConsoleOptions options, Filter f)
    {
        var rows = PageOf(session, view, f, pending: false, f.Page, options.PageSize);
        var sb = new StringBuilder("<table class=\"live\"><thead><tr><th>Ticket</th><th>Login</th><th>Symbol</th><th>Type</th><th class=\"num\">Lots</th>")
            .Append("<th class=\"num\">Open price</th><th class=\"num\">SL</th><th class=\"num\">TP</th><th class=\"num\">Price</th><th class=\"num\">Profit</th><th></th></tr></thead><tbody>");
        foreach (var t in rows.Rows)
        {
            var quote = view.GetQuote(t.Symbol, view.GroupOf(t.Login));
            var price = quote is null ? "" : Page.Price(t.Command == TradeCommand.Buy ? quote.Value.Bid : quote.Value.Ask, t.Digits);
            sb.Append("<tr data-ticket=\"").Append(Page.E(t.Ticket)).Append("\"><td><a href=\"/console/trades/").Append(Page.E(t.Ticket)).Append("\">")
                .Append(Page.E(t.Ticket)).Append("</a></td><td><a href=\"/console/accounts/").Append(Page.E(t.Login)).Append("\">").Append(Page.E(t.Login))
                .Append("</a></td><td>").Append(Page.E(t.Symbol)).Append("</td><td>").Append(Page.E(t.Command.ToString().ToLowerInvariant()))
                .Append("</td><td class=\"num\">").Append(Page.Lots(t.Volume)).Append("</td><td class=\"num\">").Append(Page.Price(t.OpenPrice, t.Digits))
                .Append("</td><td class=\"num\">").Append(Page.Price(t.StopLoss, t.Digits)).Append("</td><td class=\"num\">").Append(Page.Price(t.TakeProfit, t.Digits))
                .Append("</td><td class=\"num\">").Append(price).Append("</td><td class=\"num\">").Append(Page.Money(t.Profit))
                .Append("</td><td><a href=\"/console/trades/").Append(Page.E(t.Ticket)).Append("\">manage</a></td></tr>");
        }
        sb.Append("</tbody></table>").Append(CultureInfo.InvariantCulture, $"<p class=\"pager\">{rows.Count} positions · page {f.Page} of {Math.Max(1, (rows.Count + options.PageSize - 1) / options.PageSize)}</p>");
        return sb.ToString();
    }

    private static string OrdersFragment(ConsoleSession session, ILiveView view, ConsoleOptions options, Filter f)
    {
        var rows = PageOf(session, view, f, pending: true, f.OrdersPage, options.PageSize);
        var sb = new StringBuilder("<table class=\"live\"><thead><tr><th>Ticket</th><th>Login</th><th>Symbol</th><th>Type</th><th class=\"num\">Lots</th>")
            .Append("<th class=\"num\">Price</th><th class=\"num\">SL</th><th class=\"num\">TP</th><th></th></tr></thead><tbody>");
        foreach (var t in rows.Rows)
        {
            sb.Append("<tr data-ticket=\"").Append(Page.E(t.Ticket)).Append("\"><td><a href=\"/console/trades/").Append(Page.E(t.Ticket)).Append("\">")
                .Append(Page.E(t.Ticket)).Append("</a></td><td>").Append(Page.E(t.Login)).Append("</td><td>").Append(Page.E(t.Symbol))
                .Append("</td><td>").Append(Page.E(t.Command.ToString().ToLowerInvariant())).Append("</td><td class=\"num\">").Append(Page.Lots(t.Volume))
                .Append("</td><td class=\"num\">").Append(Page.Price(t.OpenPrice, t.Digits)).Append("</td><td class=\"num\">").Append(Page.Price(t.StopLoss, t.Digits))
                .Append("</td><td class=\"num\">").Append(Page.Price(t.TakeProfit, t.Digits)).Append("</td><td><a href=\"/console/trades/").Append(Page.E(t.Ticket))
                .Append("\">manage</a></td></tr>");
        }
        sb.Append("</tbody></table>").Append(CultureInfo.InvariantCulture, $"<p class=\"pager\">{rows.Count} orders · page {f.OrdersPage} of {Math.Max(1, (rows.Count + options.PageSize - 1) / options.PageSize)}</p>");
        return sb.ToString();
    }

    /// <summary>The open trade when its account is inside the mask; a hidden one looks like a closed one.</summary>
    private static TradeRecord? VisibleTrade(ConsoleSession session, ILiveView view, long ticket) =>
        view.GetOpenTrade(ticket) is { } t && session.Sees(view.GroupOf(t.Login)) ? t : null;

    public static IResult Trade(HttpContext http, long ticket, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SeeTrades)) return Page.Forbidden(session, "see_trades is required");
        var (flash, flashIsError) = session.TakeFlash();
        if (VisibleTrade(session, view, ticket) is not { } t)
        {
            // Just closed or cancelled from here: the outcome is the notice; otherwise the ticket is unknown or hidden.
            var state = flash is null ? Page.Notice($"trade_not_open: {ticket} is not an open position or pending order you can see", error: true)
                : "<p id=\"trade-gone\">No longer open.</p>";
            return Page.Render(session, $"Trade {ticket}", "/console/positions", Page.Notice(flash, flashIsError) + state +
                "<p><a href=\"/console/positions\">Back to positions</a></p>");
        }
        var action = "/console/trades/" + Page.E(ticket);
        var body = new StringBuilder(Page.Notice(flash, flashIsError))
            .Append("<section class=\"card\"><dl>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Account</dt><dd><a href=\"/console/accounts/{t.Login}\">{t.Login}</a></dd>")
            .Append("<dt>Symbol</dt><dd>").Append(Page.E(t.Symbol)).Append("</dd><dt>Type</dt><dd>").Append(Page.E(t.Command.ToString().ToLowerInvariant()))
            .Append("</dd><dt>Lots</dt><dd id=\"trade-lots\">").Append(Page.Lots(t.Volume)).Append("</dd><dt>Open price</dt><dd>").Append(Page.Price(t.OpenPrice, t.Digits))
            .Append("</dd><dt>SL / TP</dt><dd id=\"trade-sltp\">").Append(Page.Price(t.StopLoss, t.Digits)).Append(" / ").Append(Page.Price(t.TakeProfit, t.Digits))
            .Append("</dd></dl></section>");
        if (session.Can(Rights.SetTrades))
        {
            body.Append("<section class=\"card actions\"><h2>Actions</h2>");
            if (t.IsOpenPosition)
            {
                body.Append("<form method=\"post\" action=\"").Append(action).Append("/close\">").Append(Page.Csrf(session))
                    .Append("<label>Lots to close (empty = all) <input name=\"lots\" id=\"close-lots\" inputmode=\"decimal\"></label><button id=\"close-trade\">Close at market</button></form>");
            }
            else
            {
                body.Append("<form method=\"post\" action=\"").Append(action).Append("/cancel\">").Append(Page.Csrf(session)).Append("<button id=\"cancel-order\">Cancel order</button></form>");
            }
            body.Append("<form method=\"post\" action=\"").Append(action).Append("/modify\">").Append(Page.Csrf(session))
                .Append("<label>SL <input name=\"sl\" id=\"sl\" inputmode=\"decimal\" value=\"").Append(Page.Price(t.StopLoss, t.Digits)).Append("\"></label>")
                .Append("<label>TP <input name=\"tp\" id=\"tp\" inputmode=\"decimal\" value=\"").Append(Page.Price(t.TakeProfit, t.Digits)).Append("\"></label>")
                .Append("<button id=\"modify-trade\">Modify SL/TP</button></form></section>");
        }
        return Page.Render(session, $"Trade {ticket}", "/console/positions", body.ToString());
    }

    public static async Task<IResult> CloseAsync(HttpContext http, long ticket, ILiveView view, ConsoleCommands commands)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SetTrades)) return Page.Forbidden(session, "set_trades is required");
        if (VisibleTrade(session, view, ticket) is not { IsOpenPosition: true } t) return Gone(session, ticket);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var lotsText = form["lots"].ToString().Trim();
        var volume = 0;
        if (lotsText.Length > 0)
        {
            if (!decimal.TryParse(lotsText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var lots) || lots <= 0 || lots * 100 != decimal.Truncate(lots * 100))
            {
                return Refuse(session, ticket, "invalid_volume: lots with at most two decimals");
            }
            volume = (int)(lots * 100);
        }
        var result = await commands.SubmitAsync(session, new ClosePosition(t.Login, ticket) { Volume = volume }, http.RequestAborted);
        if (result.IsOk && result.Value is { } closed)
        {
            session.Flash = $"closed {Page.Lots(closed.Volume)} lots of {ticket} at {Page.Price(closed.ClosePrice, closed.Digits)}, profit {Page.Money(closed.Profit)}";
        }
        return Results.Redirect($"/console/trades/{ticket}");
    }

    public static async Task<IResult> ModifyAsync(HttpContext http, long ticket, ILiveView view, ConsoleCommands commands)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SetTrades)) return Page.Forbidden(session, "set_trades is required");
        if (VisibleTrade(session, view, ticket) is not { } t) return Gone(session, ticket);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (!TryPrice(form["sl"], out var sl) || !TryPrice(form["tp"], out var tp)) return Refuse(session, ticket, "invalid_price: SL and TP are prices (0 = none)");
        var result = t.IsOpenPosition
            ? await commands.SubmitAsync(session, new ModifyPosition(t.Login, ticket, sl, tp), http.RequestAborted)
            : await commands.SubmitAsync(session, new ModifyPendingOrder(t.Login, ticket) { StopLoss = sl, TakeProfit = tp }, http.RequestAborted);
        if (result.IsOk) session.Flash = "SL/TP changed";
        return Results.Redirect($"/console/trades/{ticket}");
    }

    public static async Task<IResult> CancelAsync(HttpContext http, long ticket, ILiveView view, ConsoleCommands commands)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SetTrades)) return Page.Forbidden(session, "set_trades is required");
        if (VisibleTrade(session, view, ticket) is not { IsPendingOrder: true } t) return Gone(session, ticket);
        var result = await commands.SubmitAsync(session, new CancelPendingOrder(t.Login, ticket), http.RequestAborted);
        if (result.IsOk) session.Flash = $"order {ticket} cancelled";
        return Results.Redirect($"/console/trades/{ticket}");
    }

    private static bool TryPrice(string? text, out decimal price) =>
        decimal.TryParse(string.IsNullOrWhiteSpace(text) ? "0" : text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price);

    private static IResult Refuse(ConsoleSession session, long ticket, string error)
    {
        session.Flash = error;
        session.FlashIsError = true;
        return Results.Redirect($"/console/trades/{ticket}");
    }

    private static IResult Gone(ConsoleSession session, long ticket) =>
        Page.Render(session, $"Trade {ticket}", "/console/positions", Page.Notice($"trade_not_open: {ticket} is not an open trade you can see", error: true), StatusCodes.Status404NotFound);
}
