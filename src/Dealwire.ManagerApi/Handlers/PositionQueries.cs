using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary><c>get_positions</c> (open) and <c>get_history_positions</c> (closed), with their filters.</summary>
internal static class PositionQueries
{
    public static void Register(Dictionary<string, HandlerEntry> map)
    {
        map["get_positions"] = new HandlerEntry(Replies.Positions, false, GetPositions);
        map["get_history_positions"] = new HandlerEntry(Replies.HistoryPositions, false, GetHistoryPositions);
    }

    private static async Task GetPositions(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var ticket = request.OptionalId("position_id", EntityKind.Position);
        var symbol = request.OptionalString("asset_pair");
        var mask = session.Mask;
        var positions = await session.ReadAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            return r.GetPositions(login)
                .Where(t => (ticket is null || t.Ticket == ticket) && SymbolMatches(t.Symbol, symbol) && views.Sees(t.Login))
                .OrderBy(t => t.Ticket)
                .Select(views.Position)
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Positions, positions, TradingModels.WritePosition));
    }

    private static async Task GetHistoryPositions(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var symbol = request.OptionalString("asset_pair");
        var paging = HistoryPaging.Read(request);
        var mask = session.Mask;
        var page = await HistoryRows.ClosedPositionsPageAsync(session, login, paging);
        // The store answers in (close time, ticket) order; the engine only adds the account and quote figures.
        var positions = await session.ReadAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            return page.Rows
                .Where(t => SymbolMatches(t.Symbol, symbol) && views.Sees(t.Login))
                .Select(views.Position)
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.HistoryPositions, positions, TradingModels.WritePosition,
            paging.IsPaged ? page.Next?.Format() : null));
    }

    /// <summary>Asset-pair filters compare case-insensitively (the docs filter with "eurusd", models say "EURUSD").</summary>
    public static bool SymbolMatches(string symbol, string? filter) =>
        filter is null || string.Equals(symbol, filter, StringComparison.OrdinalIgnoreCase);
}
