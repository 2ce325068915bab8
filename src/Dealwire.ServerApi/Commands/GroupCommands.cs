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
        table.Add("GetGroups", Access.Staff(), GetGroups);
        table.Add("AddGroup", Access.Staff(), c => Upsert(c, adding: true));
        table.Add("UpdateGroup", Access.Staff(), c => Upsert(c, adding: false));
        table.Add("DeleteGroup", Access.Staff(), DeleteGroup);
    }

    private static async ValueTask<Reply> GetGroups(CommandContext c)
    {
        var scope = c.Scope;
        var groups = await c.QueryAsync(r => r.GetGroups().Where(g => scope.CanSeeGroup(g.Name))
            .OrderBy(g => g.Name, StringComparer.Ordinal).ToList());
        return Reply.Ok(w => TableWriter.WriteObjectRows(w, groups, GroupWire.Write));
    }

    /// <summary>AddGroup refuses an existing name (409); UpdateGroup creates or updates, as its page says.</summary>
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
        var existing = await c.QueryAsync(r => r.GetGroup(name));
        if (adding && existing is not null) throw ProtocolException.Rejected(ReturnCode.ErrDuplicate, $"group {name} already exists");
        var config = ConfigReader.Group(c.Data, existing ?? new GroupConfig { Name = name });
        await c.SubmitAsync(new UpsertGroup(config) { Actor = c.Actor });
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
