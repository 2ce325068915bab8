using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Session;
using Dealwire.ReadModel.History;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// History parts of the Manager API reads, from the history store (never the engine thread): closed positions, orders
/// that left the book, balance operations. The manager's mask is applied in the store; the caller's view still checks
/// each login, so an account moved out of the mask since is hidden too.
/// </summary>
internal static class HistoryRows
{
    /// <summary>Closed market deals (deleted ones excluded), ordered by (close time, ticket).</summary>
    public static async Task<IReadOnlyList<TradeRecord>> ClosedPositionsAsync(ManagerSession session, long? login) =>
        (await ClosedPositionsPageAsync(session, login, HistoryPaging.None)).Rows;

    /// <summary>One page of closed deals (every one when not paged) and the cursor of the next.</summary>
    public static async Task<HistoryPage<TradeRecord>> ClosedPositionsPageAsync(ManagerSession session, long? login, HistoryPaging paging)
    {
        if (login == Logins.Nobody) return new([], null);
        return await session.Context.History.GetTradesAsync(paging.Apply(new HistoryQuery
        {
            Login = login, Mask = session.Mask, Kinds = HistoryKinds.Deals,
        }));
    }

    /// <summary>Pending orders that left the book: cancelled, expired, refused or (netting) filled.</summary>
    public static async Task<IReadOnlyList<TradeRecord>> RetiredOrdersAsync(ManagerSession session, long? login)
    {
        if (login == Logins.Nobody) return [];
        var page = await session.Context.History.GetTradesAsync(new HistoryQuery
        {
            Login = login, Mask = session.Mask, Kinds = HistoryKinds.Orders, IncludeDeleted = true, Limit = int.MaxValue,
        });
        return page.Rows;
    }

    /// <summary>Ledger entries of a login (or every login in the mask) with time in [from, to], by (time, id); one page when paged.</summary>
    public static async Task<HistoryPage<LedgerEntry>> LedgerAsync(ManagerSession session, long? login, long from, long to, HistoryPaging paging)
    {
        if (login == Logins.Nobody) return new([], null);
        return await session.Context.History.GetLedgerAsync(paging.Apply(new HistoryQuery
        {
            Login = login, Mask = session.Mask, From = from, To = to,
        }));
    }
}
