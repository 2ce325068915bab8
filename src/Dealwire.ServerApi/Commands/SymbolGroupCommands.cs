using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>Symbol groups ("securities", scaletrade-tcp §7.6).</summary>
internal static class SymbolGroupCommands
{
    public static void Register(CommandTable table)
    {
        table.Add("GetSymbolGroups", Access.Everyone(), GetSymbolGroups);
        table.Add("AddSymbolGroup", Access.Staff(), AddSymbolGroup);
        table.Add("UpdateSymbolGroup", Access.Staff(), UpdateSymbolGroup);
        table.Add("DeleteSymbolGroup", Access.Staff(), DeleteSymbolGroup);
    }

    private static async ValueTask<Reply> GetSymbolGroups(CommandContext c)
    {
        var groups = await c.QueryAsync(r => r.GetSymbolGroups().OrderBy(g => g.SortIndex).ThenBy(g => g.Index).ToList());
        var page = Paging.Page(c.Data, groups);
        return Reply.Ok(w => TableWriter.WriteObjectRows(w, page, SymbolWire.WriteSymbolGroup, "total", groups.Count));
    }

    /// <summary>Answers <c>{"sec_index":N,"data":"OK"}</c> at the top level, as the spec's example.</summary>
    private static async ValueTask<Reply> AddSymbolGroup(CommandContext c)
    {
        var config = Read(c.Data, new SymbolGroupConfig { Name = "" }, sortRequired: false);
        var created = await c.SubmitAsync(new UpsertSymbolGroup(config) { AssignIndex = true, Actor = c.Actor });
        return Reply.Ok(static w => w.WriteStringValue("OK"), 200, w => w.WriteNumber("sec_index", created.Index));
    }

    private static async ValueTask<Reply> UpdateSymbolGroup(CommandContext c)
    {
        var index = c.Data.RequireInt("sec_index");
        var existing = await c.QueryAsync(r => r.GetSymbolGroups().FirstOrDefault(g => g.Index == index))
            ?? throw ProtocolException.Rejected(ReturnCode.SecurityNotFound, $"symbol group {index} not found");
        if (!c.Data.Has("parent_sec_index")) throw ProtocolException.InvalidData("parent_sec_index is required");
        await c.SubmitAsync(new UpsertSymbolGroup(Read(c.Data, existing, sortRequired: false)) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static async ValueTask<Reply> DeleteSymbolGroup(CommandContext c)
    {
        var index = c.Data.RequireInt("sec_index");
        await c.SubmitAsync(new Engine.Commands.DeleteSymbolGroup(index) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static SymbolGroupConfig Read(DataReader d, SymbolGroupConfig g, bool sortRequired)
    {
        var name = d.RequireString("name", 64);
        if (name.Length == 0) throw ProtocolException.InvalidData("name must be 1 to 64 characters");
        return g with
        {
            Name = name,
            Description = d.RequireString("description", 256),
            TradeAllowed = d.RequireFlag("trade"),
            Show = d.RequireFlag("show"),
            ParentIndex = d.OptionalInt("parent_sec_index", g.ParentIndex),
            SortIndex = sortRequired ? d.RequireInt("sort_index") : d.OptionalInt("sort_index", g.SortIndex),
        };
    }
}
