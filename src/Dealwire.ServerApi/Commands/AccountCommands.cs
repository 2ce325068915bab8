using Dealwire.ReadModel.Live;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>Accounts (scaletrade-tcp §7.3): create / update / delete, lookups, tables and the filter query.</summary>
internal static class AccountCommands
{
    private static readonly (string, string)[] FilterTotals =
    [
        ("total_balance", "balance"), ("total_credit", "credit"), ("total_profit", "profit"),
        ("total_net_profit", "net_profit"), ("total_equity", "equity"), ("total_margin", "margin"),
        ("total_margin_free", "margin_free"),
    ];

    public static void Register(CommandTable table)
    {
        table.Add("MngAddAccount", AddAccount);
        table.Add("AddUser", AddAccount);
        table.Add("MngUpdateAccount", UpdateAccount);
        table.Add("UpdateUser", UpdateAccount);
        table.Add("MngDeleteAccount", DeleteAccount);
        table.Add("DeleteUser", DeleteAccount);
        table.Add("DeleteUsersList", DeleteUsersList);
        table.Add("GetAccountByLogin", GetAccountByLogin);
        table.Add("GetAccountsByGroup", GetAccountsByGroup);
        table.Add("GetUsers", GetUsers);
        table.Add("GetUsersByFilter", GetUsersByFilter);
        table.Add("GetUserBalanceList", GetUserBalanceList);
    }

    private static async ValueTask<Reply> AddAccount(CommandContext c)
    {
        var d = c.Data;
        var group = d.RequireString("group", 64);
        RequireGroupInScope(c, group);
        var password = d.RequireString("password", 64);
        var profile = ReadProfile(d, new AccountProfile { Group = group, Login = d.OptionalLong("login") }) with
        {
            PasswordHash = PasswordHash.Create(password),
        };
        if (profile.Login < 0) throw ProtocolException.InvalidData("login must not be negative");
        var account = await c.SubmitAsync(new CreateAccount(profile) { Actor = c.Actor });
        return await ProfileReply(c, account);
    }

    private static async ValueTask<Reply> UpdateAccount(CommandContext c)
    {
        var d = c.Data;
        var login = d.RequireLong("login");
        await c.RequireAccountAsync(login);
        var group = d.RequireString("group", 64);
        RequireGroupInScope(c, group);
        // Only the fields given go to the engine, which merges them into the profile as it is then: two
        // concurrent updates of different fields both survive (a read-merge-write here lost one).
        var patch = ReadPatch(d) with { Group = group };
        if (d.OptionalString("password", 64) is { } password) patch = patch with { PasswordHash = PasswordHash.Create(password) };
        var account = await c.SubmitAsync(new PatchAccount(login, patch) { Actor = c.Actor });
        return await ProfileReply(c, account);
    }

    private static async ValueTask<Reply> DeleteAccount(CommandContext c)
    {
        var login = c.Data.RequireLong("login");
        await c.RequireAccountAsync(login);
        await c.SubmitAsync(new Engine.Commands.DeleteAccount(login) { Actor = c.Actor });
        return Reply.Ok();
    }

    /// <summary>Deletes each login on its own: 200 all deleted, 207 some, 409 none (with the failures listed).</summary>
    private static async ValueTask<Reply> DeleteUsersList(CommandContext c)
    {
        var logins = c.Data.RequireLongArray("logins");
        if (logins.Count == 0) throw ProtocolException.InvalidData("logins must not be empty");
        var deleted = new List<long>();
        var failures = new List<(long Login, string Error, string Message)>();
        foreach (var login in logins.Distinct())
        {
            try
            {
                await c.RequireAccountAsync(login);
                await c.SubmitAsync(new Engine.Commands.DeleteAccount(login) { Actor = c.Actor });
                deleted.Add(login);
            }
            catch (ProtocolException ex)
            {
                failures.Add((login, ex.Error, ex.Message));
            }
        }
        var status = failures.Count == 0 ? 200 : deleted.Count > 0 ? 207 : 409;
        return Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("rows");
            foreach (var login in deleted)
            {
                w.WriteStartObject();
                w.WriteNumber("login", login);
                w.WriteBoolean("deleted", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("matched", logins.Distinct().Count());
            w.WriteNumber("deleted", deleted.Count);
            w.WriteNumber("failed", failures.Count);
            w.WriteStartArray("failures");
            foreach (var (login, error, message) in failures)
            {
                w.WriteStartObject();
                w.WriteNumber("login", login);
                w.WriteString("error", error);
                w.WriteString("message", message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, status);
    }

    private static async ValueTask<Reply> GetAccountByLogin(CommandContext c)
    {
        var login = c.Data.RequireLong("login");
        await c.RequireAccountAsync(login);
        var account = await c.ReadAsync(r => r.GetAccount(login))
            ?? throw ProtocolException.Rejected(ReturnCode.UserNotFound, $"account {login} not found");
        return Reply.Ok(w => AccountWire.Write(w, account));
    }

    private static async ValueTask<Reply> GetAccountsByGroup(CommandContext c)
    {
        var mask = new GroupMask(c.Data.OptionalString("group_mask", 256) ?? "*");
        var rows = await VisibleRows(c, mask, AccountWire.GroupColumns);
        var page = Paging.Page(c.Data, rows);
        return Reply.Ok(w => TableWriter.Write(w, AccountWire.GroupColumns, page, rows.Count));
    }

    /// <summary>[GAP] in the spec (README only): every account the session may see, as GetAccountsByGroup.</summary>
    private static async ValueTask<Reply> GetUsers(CommandContext c)
    {
        var rows = await VisibleRows(c, GroupMask.All, AccountWire.GroupColumns);
        var page = Paging.Page(c.Data, rows);
        return Reply.Ok(w => TableWriter.Write(w, AccountWire.GroupColumns, page, rows.Count));
    }

    private static async ValueTask<Reply> GetUsersByFilter(CommandContext c)
    {
        var d = c.Data;
        var mask = new GroupMask(d.RequireString("groupFilter", 256));
        var limit = d.RequireInt("limit");
        var offset = d.RequireInt("offset");
        var columns = AccountWire.FilterColumns;
        var filter = RowFilter.Parse(d.Raw, columns);
        var rows = await VisibleRows(c, mask, columns);
        var (page, count, totals) = PagedTable.Apply(rows, filter, columns, limit, offset, FilterTotals);
        return Reply.Ok(w => TableWriter.Write(w, columns, page, count, totals));
    }

    /// <summary>Money of each requested account; logins unknown or outside the session's scope are left out.</summary>
    private static async ValueTask<Reply> GetUserBalanceList(CommandContext c)
    {
        var logins = c.Data.RequireLongArray("logins");
        var scope = c.Scope;
        var margins = await c.ReadAsync(r => logins.Distinct().Select(r.GetMargin).OfType<MarginSnapshot>()
            .Where(m => scope.CanSee(m.Login, m.Group)).ToList());
        var page = Paging.Page(c.Data, margins);
        return Reply.Ok(w => TableWriter.WriteObjectRows(w, page, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteNumber("login", m.Login);
            AccountWire.WriteMoney(w, m);
            w.WriteEndObject();
        }, count: margins.Count));
    }

    private static ValueTask<List<object[]>> VisibleRows(CommandContext c, GroupMask mask, string[] columns)
    {
        var scope = c.Scope;
        var login = c.Identity.Id;
        var isUser = scope.IsUser;
        return c.ReadAsync(r =>
        {
            var accounts = isUser ? (r.GetAccount(login) is { } own ? [own] : []) : r.GetAccounts(mask);
            return accounts
                .Where(a => mask.Matches(a.Profile.Group) && scope.CanSee(a.Profile.Login, a.Profile.Group))
                .Select(a => columns.Select(col => AccountWire.Cell(a, col)).ToArray())
                .ToList();
        });
    }

    private static void RequireGroupInScope(CommandContext c, string group)
    {
        if (!c.Scope.CanSeeGroup(group)) throw ProtocolException.NotEnoughRights($"group {group} is outside this session's group mask");
    }

    private static AccountProfile ReadProfile(DataReader d, AccountProfile p) => ReadPatch(d).ApplyTo(p);

    private static AccountPatch ReadPatch(DataReader d)
    {
        // name, email, leverage and enable are required by both MngAddAccount and MngUpdateAccount.
        var leverage = d.RequireInt("leverage");
        if (leverage is < 1 or > 10_000) throw ProtocolException.InvalidData("leverage must be between 1 and 10000");
        return new AccountPatch
        {
            Name = d.RequireString("name", 128),
            Email = d.RequireString("email", 128),
            Leverage = leverage,
            Enabled = d.RequireFlag("enable"),
            ReadOnly = d.OptionalFlag("enable_read_only"),
            ChangePasswordAllowed = d.OptionalFlag("enable_change_password"),
            SendReports = d.OptionalFlag("send_reports"),
            Comment = d.OptionalString("comment", 256),
            Country = d.OptionalString("country", 64),
            City = d.OptionalString("city", 64),
            State = d.OptionalString("state", 64),
            ZipCode = d.OptionalString("zipcode", 32),
            Address = d.OptionalString("address", 256),
            Phone = d.OptionalString("phone", 64),
            ExternalId = d.OptionalString("id", 64),
            LeadSource = d.OptionalString("lead_source", 64),
            UserColor = d.OptionalString("user_color", 16),
            Magic = d.NullableLong("magic"),
            CustomerId = d.NullableLong("customer_id"),
            AgentAccount = d.NullableLong("agent_account"),
            // Shown by GetAccountByLogin, so applied when sent rather than dropped.
            OtpEnabled = d.OptionalFlag("enable_otp"),
            Status = d.OptionalString("status", 64),
            ApiData = d.OptionalString("api_data", 4096),
        };
    }

    private static async Task<Reply> ProfileReply(CommandContext c, AccountSnapshot account)
    {
        var group = await c.ReadAsync(r => r.GetGroup(account.Profile.Group));
        return Reply.Object(w =>
        {
            w.WriteNumber("login", account.Profile.Login);
            w.WriteNumber("leverage", account.Profile.Leverage > 0 ? account.Profile.Leverage : account.Margin.Leverage);
            w.WriteString("currency", account.Margin.Currency);
            w.WriteString("brand", group?.Brand ?? "");
            w.WriteNumber("update_time", WireTime.ToSeconds(account.Profile.UpdateTime));
        });
    }
}
