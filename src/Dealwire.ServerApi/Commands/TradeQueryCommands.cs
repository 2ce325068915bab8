using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
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
        var tradeType = d.RequireInt("tradeType");
        if (tradeType is < 0 or > 4) throw ProtocolException.InvalidData("tradeType must be 0 (all), 1 (open), 2 (closed), 3 (pending) or 4 (finance)");
        var columns = TradeWire.FilterColumns;
        var filter = RowFilter.Parse(d.Raw, columns);
        var rows = await Rows(c, mask, columns, r => Select(r, tradeType));
        var (page, count, totals) = PagedTable.Apply(rows, filter, columns, limit, offset, FilterTotals);
        return Reply.Ok(w => TableWriter.Write(w, columns, page, count, totals));
    }

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
        await c.RequireAccountAsync(login);
        var group = c.Server.View.GroupOf(login);
        var columns = TradeWire.DefaultColumns;
        var rows = await c.QueryAsync(r => r.GetHistory(login, from * 1000, to * 1000 + 999)
            .Where(t => !t.Command.IsFinance() && t.State != TradeState.Deleted)
            .Select(t => columns.Select(col => TradeWire.Cell(t, col, group)).ToArray()).ToList());
        var page = Paging.Page(d, rows);
        return Reply.Ok(w => TableWriter.Write(w, columns, page, rows.Count));
    }

    /// <summary>[GAP] (README only): open positions and pending orders the session may see.</summary>
    private static async ValueTask<Reply> GetTrades(CommandContext c)
    {
        var rows = await Rows(c, GroupMask.All, TradeWire.DefaultColumns, r => Select(r, 1).Concat(Select(r, 3)));
        var page = Paging.Page(c.Data, rows);
        return Reply.Ok(w => TableWriter.Write(w, TradeWire.DefaultColumns, page, rows.Count));
    }

    /// <summary>TRD_*: 0 all, 1 open, 2 closed, 3 pending, 4 finance.</summary>
    private static IEnumerable<TradeRecord> Select(IEngineReader r, int tradeType) => tradeType switch
    {
        1 => r.GetPositions(),
        2 => r.GetHistory(null, 0, long.MaxValue).Where(t => !t.Command.IsFinance() && t.Command.IsMarket() && t.State != TradeState.Deleted),
        3 => r.GetPendingOrders(),
        // A reversed (cancelled) operation is netted out by its reversal in the ledger: neither shows, so
        // Σ finance + Σ closed deals still equals the balance.
        4 => r.GetHistory(null, 0, long.MaxValue).Where(t => t.Command.IsFinance() && t.State != TradeState.Deleted),
        _ => r.GetPositions().Concat(r.GetPendingOrders()).Concat(r.GetHistory(null, 0, long.MaxValue)),
    };

    private static Task<List<object[]>> Rows(CommandContext c, GroupMask mask, string[] columns, Func<IEngineReader, IEnumerable<TradeRecord>> source)
    {
        var scope = c.Scope;
        var mirror = c.Server.View;
        return c.QueryAsync(r => Visible(source(r), mask, scope, mirror, r)
            .Select(x => columns.Select(col => TradeWire.Cell(x.Trade, col, x.Group)).ToArray()).ToList());
    }

    private static IEnumerable<(TradeRecord Trade, string Group)> Visible(IEnumerable<TradeRecord> trades, GroupMask mask, SessionScope scope,
        ILiveView mirror, IEngineReader r)
    {
        foreach (var t in trades)
        {
            var group = mirror.GroupOf(t.Login) ?? r.GetAccount(t.Login)?.Profile.Group;
            if (group is null || !mask.Matches(group) || !scope.CanSee(t.Login, group)) continue;
            yield return (t, group);
        }
    }
}
