using Dealwire.ReadModel.Live;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>Trading groups (scaletrade-tcp §7.7), limited to the groups of a manager's mask.</summary>
internal static class GroupCommands
{
    private static readonly string[] Required =
    [
        "group", "company", "currency", "enable", "margin_call", "margin_mode", "margin_type", "margin_stopout",
        "default_leverage", "default_deposit", "secgroups", "secmargins",
    ];

    public static void Register(CommandTable table)
    {
        table.Add("GetGroups", GetGroups);
        table.Add("AddGroup", c => Upsert(c, adding: true));
        table.Add("UpdateGroup", c => Upsert(c, adding: false));
        table.Add("DeleteGroup", DeleteGroup);
    }

    private static async ValueTask<Reply> GetGroups(CommandContext c)
    {
        var scope = c.Scope;
        var (groups, symbolGroups) = await c.ReadAsync(r => (r.GetGroups().Where(g => scope.CanSeeGroup(g.Name))
            .OrderBy(g => g.Name, StringComparer.Ordinal).ToList(), r.GetSymbolGroups().ToDictionary(s => s.Index)));
        var page = Paging.Page(c.Data, groups);
        return Reply.Ok(w => TableWriter.WriteObjectRows(w, page, (row, g) => GroupWire.Write(row, g, symbolGroups), count: groups.Count));
    }

    /// <summary>
    /// AddGroup refuses an existing name (409); UpdateGroup creates or updates, as its page says, by sending
    /// the engine only the fields given (a patch merged there, so concurrent updates do not lose each other).
    /// </summary>
    private static async ValueTask<Reply> Upsert(CommandContext c, bool adding)
    {
        foreach (var field in Required)
        {
            // secgroups may be null ("every symbol group"), which differs from [] ("none"); it must still be named.
            var present = field == "secgroups" ? c.Data.Raw.TryGetProperty(field, out _) : c.Data.Has(field);
            if (!present) throw ProtocolException.InvalidData($"{field} is required");
        }
        var name = c.Data.RequireString("group", 64);
        if (name.Length == 0) throw ProtocolException.InvalidData("group must not be empty");
        if (!c.Scope.CanSeeGroup(name)) throw ProtocolException.NotEnoughRights($"group {name} is outside this session's group mask");
        var patch = ConfigReader.Group(c.Data);
        if (!adding)
        {
            await c.SubmitAsync(new PatchGroup(name, patch) { CreateIfMissing = true, Actor = c.Actor });
            return Reply.Ok();
        }
        var existing = await c.ReadAsync(r => r.GetGroup(name));
        if (existing is not null) throw ProtocolException.Rejected(ReturnCode.ErrDuplicate, $"group {name} already exists");
        await c.SubmitAsync(new UpsertGroup(patch.ApplyTo(new GroupConfig { Name = name })) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static async ValueTask<Reply> DeleteGroup(CommandContext c)
    {
        var name = c.Data.RequireString("group", 64);
        if (!c.Scope.CanSeeGroup(name)) throw ProtocolException.NotEnoughRights($"group {name} is outside this session's group mask");
        var result = await c.Server.Runner.SubmitAsync(new Engine.Commands.DeleteGroup(name) { Actor = c.Actor });
        if (result.Code == ReturnCode.GroupUsedByUser)
        {
            throw new ProtocolException(ReturnCode.GroupUsedByUser.HttpStatus(), ErrorNames.DeleteGroupError, "Group is still in use");
        }
        if (!result.IsOk) throw ProtocolException.Rejected(result.Code, result.Message);
        return Reply.Ok();
    }
}
