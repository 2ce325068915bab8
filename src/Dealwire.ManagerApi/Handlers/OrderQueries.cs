using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// <c>get_orders</c> and <c>get_trades</c>. Dealwire keeps pending orders and positions; a market
/// order is the opening of its position (same ticket), so "executed" orders are positions seen as orders.
/// </summary>
internal static class OrderQueries
{
    public static void Register(Dictionary<string, HandlerEntry> map)
    {
        map["get_orders"] = new HandlerEntry(Replies.Orders, false, GetOrders);
        map["get_trades"] = new HandlerEntry(Replies.Trades, false, GetTrades);
    }

    private static async Task GetOrders(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var ticket = request.OptionalId("order_id", EntityKind.Order);
        var symbol = request.OptionalString("asset_pair");
        var statusText = request.OptionalString("order_status");
        OrderStatus status = statusText switch
        {
            null or "pending" => OrderStatus.Pending,
            "canceled" => OrderStatus.Canceled,
            "executed" => OrderStatus.Executed,
            "rejected" => OrderStatus.Rejected,
            _ => throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat),
        };
        var mask = session.Mask;
        IReadOnlyList<TradeRecord> closed = status == OrderStatus.Executed ? await HistoryRows.ClosedPositionsAsync(session, login) : [];
        IReadOnlyList<TradeRecord> retired = status == OrderStatus.Pending ? [] : await HistoryRows.RetiredOrdersAsync(session, login);
        var orders = await session.Context.Runner.QueryAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            IEnumerable<OrderView> found = status switch
            {
                OrderStatus.Pending => r.GetPendingOrders(login).Select(t => views.Order(t, status)),
                OrderStatus.Executed => ExecutedOrders(views, login, closed, retired),
                _ => retired.Where(t => OrderView.ExitOf(t) == status).Select(t => views.Order(t, status)),
            };
            return found
                .Where(o => (ticket is null || o.Ticket == ticket) && PositionQueries.SymbolMatches(o.Trade.Symbol, symbol) && views.Sees(o.Trade.Login))
                .OrderBy(o => o.Ticket)
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Orders, orders, TradingModels.WriteOrder));
    }

    /// <summary>
    /// Orders that were filled: the opening order of every open and closed position (activated pending
    /// orders included), the closing order of every closed position, and netting orders filled into a position.
    /// </summary>
    private static IEnumerable<OrderView> ExecutedOrders(ViewReader views, long? login, IReadOnlyList<TradeRecord> closed, IReadOnlyList<TradeRecord> retired)
    {
        foreach (var t in views.Engine.GetPositions(login)) yield return views.Order(t, OrderStatus.Executed);
        foreach (var t in closed)
        {
            yield return views.Order(t, OrderStatus.Executed);
            if (t.CloseOrderTicket > 0) yield return views.Order(t, OrderStatus.Executed, isClose: true);
        }
        foreach (var t in retired)
        {
            if (OrderView.ExitOf(t) == OrderStatus.Executed) yield return views.Order(t, OrderStatus.Executed);
        }
    }

    private static async Task GetTrades(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var symbol = request.OptionalString("asset_pair");
        var position = request.OptionalId("position_id", EntityKind.Position);
        var order = request.OptionalId("order_id", EntityKind.Order);
        var mask = session.Mask;
        var history = await HistoryRows.ClosedPositionsAsync(session, login);
        var trades = await session.Context.Runner.QueryAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            var open = r.GetPositions(login).Select(t => new TradeView(t, false, views.Collateral(t.Login)));
            var closed = history.SelectMany(t => new[]
            {
                new TradeView(t, false, views.Collateral(t.Login)),
                new TradeView(t, true, views.Collateral(t.Login)),
            });
            return open.Concat(closed)
                .Where(x => views.Sees(x.Trade.Login) && PositionQueries.SymbolMatches(x.Trade.Symbol, symbol)
                    && (position is null || x.Trade.Ticket == position) && (order is null || x.OrderTicket == order))
                .OrderBy(x => x.Closing ? x.Trade.CloseTime : x.Trade.OpenTime).ThenBy(x => x.Number)
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Trades, trades, TradingModels.WriteTrade));
    }
}
