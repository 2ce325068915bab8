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
        var orders = await session.Context.Runner.QueryAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            IEnumerable<TradeRecord> records = status switch
            {
                OrderStatus.Pending => r.GetPendingOrders(login),
                OrderStatus.Canceled => views.CancelledOrders(login),
                OrderStatus.Executed => r.GetPositions(login).Concat(views.ClosedPositions(login)),
                _ => [], // the engine keeps no rejected orders
            };
            return records
                .Where(t => (ticket is null || t.Ticket == ticket) && PositionQueries.SymbolMatches(t.Symbol, symbol) && views.Sees(t.Login))
                .OrderBy(t => t.Ticket)
                .Select(t => views.Order(t, status))
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Orders, orders, TradingModels.WriteOrder));
    }

    private static async Task GetTrades(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var symbol = request.OptionalString("asset_pair");
        var position = request.OptionalId("position_id", EntityKind.Position);
        var order = request.OptionalId("order_id", EntityKind.Order);
        var mask = session.Mask;
        var trades = await session.Context.Runner.QueryAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            var open = r.GetPositions(login).Select(t => new TradeView(t, false, views.Collateral(t.Login)));
            var closed = views.ClosedPositions(login).SelectMany(t => new[]
            {
                new TradeView(t, false, views.Collateral(t.Login)),
                new TradeView(t, true, views.Collateral(t.Login)),
            });
            return open.Concat(closed)
                .Where(x => views.Sees(x.Trade.Login) && PositionQueries.SymbolMatches(x.Trade.Symbol, symbol)
                    && (position is null || x.Trade.Ticket == position) && (order is null || x.Trade.Ticket == order))
                .OrderBy(x => x.Closing ? x.Trade.CloseTime : x.Trade.OpenTime).ThenBy(x => x.Number)
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Trades, trades, TradingModels.WriteTrade));
    }
}
