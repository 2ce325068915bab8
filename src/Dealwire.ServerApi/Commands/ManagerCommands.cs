using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Queries;

namespace Dealwire.ServerApi.Commands;

/// <summary>GetManagers (scaletrade-tcp §7.12): the managers known to the key store, with the default rights.</summary>
internal static class ManagerCommands
{
    private static readonly string[] RightColumns =
    [
        "see_accounts", "see_accounts_detail", "see_accounts_online", "del_accounts", "set_accounts", "set_accounts_balance",
        "see_accounts_balance", "del_accounts_balance", "see_trades", "set_trades", "del_trades", "dealer_trades", "logs",
        "reports", "market_watch", "techsupport", "see_export",
    ];

    public static void Register(CommandTable table) => table.Add("GetManagers", GetManagers);

    private static ValueTask<Reply> GetManagers(CommandContext c)
    {
        var keys = c.Server.ManagerKeys?.Keys ?? [];
        var mask = new Engine.Model.GroupMask(c.Identity.GroupMask);
        // A manager sees itself and managers whose mask lies inside its own (approximated by the mask text).
        var visible = keys.Where(k => c.Identity.IsAdmin || k.ManagerId == c.Identity.Id || mask.Matches(k.GroupMask)).ToList();
        var page = Paging.Page(c.Data, visible);
        return ValueTask.FromResult(Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("rows");
            foreach (var k in page)
            {
                w.WriteStartObject();
                w.WriteNumber("id", k.ManagerId);
                w.WriteNumber("admin", 0);
                w.WriteString("groups", k.GroupMask);
                w.WriteString("name", k.Name);
                w.WriteString("email", "");
                w.WriteString("otp_secret", "");
                foreach (var right in RightColumns) w.WriteNumber(right, Rights.ManagerDefault.Contains(right) ? 1 : 0);
                w.WriteNumber("sort_index", k.ManagerId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("count", visible.Count);
            w.WriteEndObject();
        }));
    }
}
