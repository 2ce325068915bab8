using Dealwire.ReadModel.Live;
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
        table.Add("GetSymbolGroups", GetSymbolGroups);
        table.Add("AddSymbolGroup", AddSymbolGroup);
        table.Add("UpdateSymbolGroup", UpdateSymbolGroup);
        table.Add("DeleteSymbolGroup", DeleteSymbolGroup);
    }

    private static async ValueTask<Reply> GetSymbolGroups(CommandContext c)
    {
        var groups = await c.ReadAsync(r => r.GetSymbolGroups().OrderBy(g => g.SortIndex).ThenBy(g => g.Index).ToList());
        var page = Paging.Page(c.Data, groups);
        return Reply.Ok(w => TableWriter.WriteObjectRows(w, page, SymbolWire.WriteSymbolGroup, "total", groups.Count));
    }

    /// <summary>Answers <c>{"sec_index":N,"data":"OK"}</c> at the top level, as the spec's example.</summary>
    private static async ValueTask<Reply> AddSymbolGroup(CommandContext c)
    {
        var config = Read(c.Data, new SymbolGroupConfig { Name = "" }, sortRequired: false);
        await c.RequireMaskCoversAsync($"AddSymbolGroup {config.Name}", ConfigImpact.OfNewSymbolGroup);
        var created = await c.SubmitAsync(new UpsertSymbolGroup(config) { AssignIndex = true, Actor = c.Actor });
        return Reply.Ok(static w => w.WriteStringValue("OK"), 200, w => w.WriteNumber("sec_index", created.Index));
    }

    private static async ValueTask<Reply> UpdateSymbolGroup(CommandContext c)
    {
        var index = c.Data.RequireInt("sec_index");
        if (!c.Data.Has("parent_sec_index")) throw ProtocolException.InvalidData("parent_sec_index is required");
        await c.RequireMaskCoversAsync($"UpdateSymbolGroup {index}", r => ConfigImpact.OfSymbolGroup(r, index));
        // A patch merged by the engine (unknown index: SECURITY_NOT_FOUND from there), not read-merge-write here.
        await c.SubmitAsync(new PatchSymbolGroup(index, ReadPatch(c.Data)) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static async ValueTask<Reply> DeleteSymbolGroup(CommandContext c)
    {
        var index = c.Data.RequireInt("sec_index");
        await c.RequireMaskCoversAsync($"DeleteSymbolGroup {index}", r => ConfigImpact.OfSymbolGroup(r, index));
        await c.SubmitAsync(new Engine.Commands.DeleteSymbolGroup(index) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static SymbolGroupConfig Read(DataReader d, SymbolGroupConfig g, bool sortRequired)
    {
        var patch = ReadPatch(d);
        return patch.ApplyTo(g) with { SortIndex = sortRequired ? d.RequireInt("sort_index") : patch.SortIndex ?? g.SortIndex };
    }

    /// <summary>name, description, trade and show are required by both Add and Update; parent and sort index are optional.</summary>
    private static SymbolGroupPatch ReadPatch(DataReader d)
    {
        var name = d.RequireString("name", 64);
        if (name.Length == 0) throw ProtocolException.InvalidData("name must be 1 to 64 characters");
        return new SymbolGroupPatch
        {
            Name = name,
            Description = d.RequireString("description", 256),
            TradeAllowed = d.RequireFlag("trade"),
            Show = d.RequireFlag("show"),
            ParentIndex = d.NullableInt("parent_sec_index"),
            SortIndex = d.NullableInt("sort_index"),
        };
    }
}
