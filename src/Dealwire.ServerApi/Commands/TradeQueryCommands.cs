using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>Trade tables (scaletrade-tcp §7.4): by filter, by group, history of a login, and GetTrades.</summary>
internal static class TradeQueryCommands
{
    private static readonly (string, string)[] FilterTotals =
    [
        ("total_profit", "profit"), ("total_net_profit", "net_profit"), ("total_storage", "storage"),
        ("total_commission", "commission"), ("total_volume", "volume"),
    ];

    public static void Register(CommandTable table)
    {
        table.Add("MngGetTradesByFilter", GetTradesByFilter);
        table.Add("GetTradesByGroup", GetTradesByGroup);
        table.Add("GetTradesHistoryByLogin", GetTradesHistoryByLogin);
        table.Add("GetTrades", GetTrades);
    }

    private static async ValueTask<Reply> GetTradesByFilter(CommandContext c)
    {
        var d = c.Data;
        var mask = new GroupMask(d.RequireString("groupFilter", 256));
        var limit = d.RequireInt("limit");
        var offset = d.RequireInt("offset");
        var tradeType = RequireTradeType(d);
        var columns = TradeWire.FilterColumns;
        var filter = RowFilter.Parse(d.Raw, columns);
        var rows = await CollectAsync(c, mask, tradeType, columns);
        var (page, count, totals) = PagedTable.Apply(rows, filter, columns, limit, offset, FilterTotals);
        return Reply.Ok(w => TableWriter.Write(w, columns, page, count, totals));
    }

    /// <summary>TRD_* of the filtered table commands and exports: 0 all, 1 open, 2 closed, 3 pending, 4 finance.</summary>
    internal static int RequireTradeType(DataReader d)
    {
        var tradeType = d.RequireInt("tradeType");
        if (tradeType is < 0 or > 4) throw ProtocolException.InvalidData("tradeType must be 0 (all), 1 (open), 2 (closed), 3 (pending) or 4 (finance)");
        return tradeType;
    }

    /// <summary>
    /// Every row of a trade type the session may see inside <paramref name="mask"/> (of one account when
    /// <paramref name="login"/> is given), as cells of <paramref name="columns"/>, unfiltered and unsorted.
    /// </summary>
    internal static async Task<List<object[]>> CollectAsync(CommandContext c, GroupMask mask, int tradeType, string[] columns, long? login = null) => tradeType switch
    {
        // Closed deals and finance records come from the history store; filters and totals run over every row.
        2 => await HistoryRows(c, mask, columns, HistoryKinds.Deals, login),
        4 => await HistoryRows(c, mask, columns, HistoryKinds.Finance, login),
        0 => [.. await Rows(c, mask, columns, r => Select(r, 0), login), .. await HistoryRows(c, mask, columns, HistoryKinds.All, login, includeDeleted: true)],
        _ => await Rows(c, mask, columns, r => Select(r, tradeType), login),
    };

    private static async ValueTask<Reply> GetTradesByGroup(CommandContext c)
    {
        var mask = new GroupMask(c.Data.RequireString("group_mask", 256));
        var openOnly = c.Data.RequireInt("open_only");
        if (openOnly is not (0 or 1)) throw ProtocolException.InvalidData("open_only must be 0 or 1");
        var rows = await Rows(c, mask, TradeWire.DefaultColumns, r => Select(r, openOnly == 1 ? 1 : 0));
        var page = Paging.Page(c.Data, rows);
        return Reply.Ok(w => TableWriter.Write(w, TradeWire.DefaultColumns, page, rows.Count));
    }

    private static async ValueTask<Reply> GetTradesHistoryByLogin(CommandContext c)
    {
        var d = c.Data;
        var login = d.RequireLong("login");
        var from = d.RequireLong("from");
        var to = d.RequireLong("to");
        if (from < 0 || to < from) throw ProtocolException.InvalidData("from and to must be Unix seconds with from <= to");
        var group = await c.RequireAccountAsync(login);
        var columns = TradeWire.DefaultColumns;
        // Closed deals and retired orders (not finance, not deleted), paged in the store. Extension: "cursor"
        // (from a previous reply's next_cursor) pages by keyset, stable while new deals arrive.
        var query = new HistoryQuery
        {
            Login = login, From = from * 1000, To = to * 1000 + 999, Kinds = HistoryKinds.Deals | HistoryKinds.Orders, Limit = int.MaxValue,
        };
        var paged = d.Has("limit") || d.Has("offset") || d.Has("cursor");
        if (paged)
        {
            var limit = d.OptionalInt("limit", PagedTable.MaxLimit);
            var offset = d.OptionalInt("offset", 0);
            if (limit is < 1 or > PagedTable.MaxLimit) throw ProtocolException.InvalidData($"limit must be between 1 and {PagedTable.MaxLimit}");
            if (offset < 0) throw ProtocolException.InvalidData("offset must not be negative");
            HistoryCursor? after = null;
            if (d.OptionalString("cursor", 64) is { } text)
            {
                if (!HistoryCursor.TryParse(text, out var cursor)) throw ProtocolException.InvalidData("cursor must be a next_cursor value from a previous reply");
                after = cursor;
            }
            query = query with { Limit = limit, Offset = offset, After = after };
        }
        var history = c.Server.History;
        var count = await history.CountTradesAsync(query with { After = null, Offset = 0 });
        var page = await history.GetTradesAsync(query);
        var rows = page.Rows.Select(t => columns.Select(col => TradeWire.Cell(t, col, group)).ToArray()).ToList();
        return Reply.Ok(w => TableWriter.Write(w, columns, rows, (int)Math.Min(count, int.MaxValue), nextCursor: paged ? page.Next?.Format() : null));
    }

    /// <summary>[GAP] (README only): open positions and pending orders the session may see.</summary>
    private static async ValueTask<Reply> GetTrades(CommandContext c)
    {
        var rows = await Rows(c, GroupMask.All, TradeWire.DefaultColumns, r => Select(r, 1).Concat(Select(r, 3)));
        var page = Paging.Page(c.Data, rows);
        return Reply.Ok(w => TableWriter.Write(w, TradeWire.DefaultColumns, page, rows.Count));
    }

    /// <summary>
    /// TRD_* live parts: 1 open, 3 pending, 0 both (history follows from the store). Closed (2) and finance (4) come
    /// from the history store without deleted rows: a reversed (cancelled) operation is netted out by its reversal in
    /// the ledger, neither shows, so Σ finance + Σ closed deals still equals the balance.
    /// </summary>
    private static IEnumerable<TradeRecord> Select(ILiveView r, int tradeType) => tradeType switch
    {
        1 => r.GetPositions(),
        3 => r.GetPendingOrders(),
        _ => r.GetPositions().Concat(r.GetPendingOrders()),
    };

    /// <summary>Every history row of <paramref name="kinds"/> in the mask the session may see, as table cells.</summary>
    private static async Task<List<object[]>> HistoryRows(CommandContext c, GroupMask mask, string[] columns, HistoryKinds kinds, long? login, bool includeDeleted = false)
    {
        var page = await c.Server.History.GetTradesAsync(new HistoryQuery { Mask = mask, Login = login, Kinds = kinds, IncludeDeleted = includeDeleted, Limit = int.MaxValue });
        var rows = new List<object[]>(page.Rows.Count);
        var groups = new Dictionary<long, string?>();
        foreach (var t in page.Rows)
        {
            if (!groups.TryGetValue(t.Login, out var group))
            {
                group = c.Server.View.GroupOf(t.Login) ?? (await c.Server.History.FindAccountGroupAsync(t.Login));
                groups[t.Login] = group;
            }
            if (group is null || !mask.Matches(group) || !c.Scope.CanSee(t.Login, group)) continue;
            rows.Add(columns.Select(col => TradeWire.Cell(t, col, group)).ToArray());
        }
        return rows;
    }

    /// <summary>Live rows (open positions, pending orders) from the live view, as table cells, for the accounts the session may see.</summary>
    private static ValueTask<List<object[]>> Rows(CommandContext c, GroupMask mask, string[] columns, Func<ILiveView, IEnumerable<TradeRecord>> source, long? login = null)
    {
        var scope = c.Scope;
        return c.ReadAsync(v => Visible(login is { } one ? source(v).Where(t => t.Login == one) : source(v), mask, scope, v)
            .Select(x => columns.Select(col => TradeWire.Cell(x.Trade, col, x.Group)).ToArray()).ToList());
    }

    private static IEnumerable<(TradeRecord Trade, string Group)> Visible(IEnumerable<TradeRecord> trades, GroupMask mask, SessionScope scope, ILiveView view)
    {
        foreach (var t in trades)
        {
            var group = view.GroupOf(t.Login);
            if (group is null || !mask.Matches(group) || !scope.CanSee(t.Login, group)) continue;
            yield return (t, group);
        }
    }
}
