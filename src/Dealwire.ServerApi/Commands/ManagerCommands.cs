using System.Text.Json;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Managers (scaletrade-tcp §7.12, model §4.13): <c>GetManagers</c> lists the manager records; <c>AuthManager</c>
/// signs a manager in with its password; <c>AddManager</c> / <c>UpdateManager</c> / <c>DeleteManager</c> (admin
/// sessions; the spec names no shapes, docs/server-api.md documents these) change the records. A change applies to
/// the manager's tokens, keys and open connections at their next command: the dispatcher reads the record each time.
/// </summary>
internal static class ManagerCommands
{
    /// <summary>The rights columns of a GetManagers row, in the spec's order.</summary>
    internal static readonly string[] RightColumns =
    [
        "see_accounts", "see_accounts_detail", "see_accounts_online", "del_accounts", "set_accounts", "set_accounts_balance",
        "see_accounts_balance", "del_accounts_balance", "see_trades", "set_trades", "del_trades", "dealer_trades", "logs",
        "reports", "market_watch", "techsupport", "see_export",
    ];

    /// <summary>Rights of the model's record (§4.13) that the GetManagers row does not list, plus Dealwire's config right.</summary>
    private static readonly string[] ExtraRightColumns = ["server_reports", "email_right", "plugins", "config"];

    /// <summary>Text fields of the record, wire name → maximum length.</summary>
    private static readonly (string Wire, int Max)[] TextFields =
    [
        ("email", 128), ("phone", 64), ("country", 64), ("city", 64), ("address", 256), ("position", 128),
        ("messengers", 1024), ("social_networks", 1024), ("language", 16),
    ];

    public static void Register(CommandTable table)
    {
        table.Add("GetManagers", GetManagers);
        table.Add("AuthManager", AuthManager);
        table.Add("AddManager", AddManager);
        table.Add("UpdateManager", UpdateManager);
        table.Add("DeleteManager", DeleteManager);
    }

    private static ManagerKeyStore Store(CommandContext c) =>
        c.Server.ManagerKeys ?? throw new ProtocolException(503, "RET_ERROR", "manager records are not available on this server");

    private static ValueTask<Reply> GetManagers(CommandContext c)
    {
        // A gateway run without a key store (in-process tests, benchmarks) has no managers: an empty list.
        var records = c.Server.ManagerKeys?.Managers.Listed ?? [];
        var mask = new Engine.Model.GroupMask(c.Identity.GroupMask);
        // A manager sees itself and managers whose mask lies inside its own (approximated by the mask text).
        var visible = records.Where(r => c.Identity.IsAdmin || r.Id == c.Identity.Id || mask.Matches(r.Groups)).ToList();
        var page = Paging.Page(c.Data, visible);
        return ValueTask.FromResult(Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("rows");
            foreach (var r in page) WriteRow(w, r);
            w.WriteEndArray();
            w.WriteNumber("count", visible.Count);
            w.WriteEndObject();
        }));
    }

    /// <summary>
    /// One manager: the GetManagers row of §7.12, then the other fields of the record (§4.13). The password is never
    /// written; <c>otp_secret</c> is always empty (Dealwire has no one-time passwords).
    /// </summary>
    internal static void WriteRow(Utf8JsonWriter w, ManagerRecord r)
    {
        w.WriteStartObject();
        WriteFields(w, r);
        w.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter w, ManagerRecord r)
    {
        var rights = r.Rights.ToHashSet(StringComparer.Ordinal);
        w.WriteNumber("id", r.Id);
        w.WriteNumber("admin", r.Admin ? 1 : 0);
        w.WriteString("groups", r.Groups);
        w.WriteString("name", r.Name);
        w.WriteString("email", r.Email);
        w.WriteString("otp_secret", "");
        foreach (var right in RightColumns) w.WriteNumber(right, r.Admin || rights.Contains(right) ? 1 : 0);
        w.WriteNumber("sort_index", r.SortIndex);
        w.WriteNumber("enable", r.Enable ? 1 : 0);
        w.WriteString("phone", r.Phone);
        w.WriteString("country", r.Country);
        w.WriteString("city", r.City);
        w.WriteString("address", r.Address);
        w.WriteString("position", r.Position);
        w.WriteString("messengers", r.Messengers);
        w.WriteString("social_networks", r.SocialNetworks);
        w.WriteString("language", r.Language);
        foreach (var right in ExtraRightColumns) w.WriteNumber(right, r.Admin || rights.Contains(right) ? 1 : 0);
    }

    /// <summary>
    /// AuthManager (public): <c>id</c> or <c>email</c> or <c>name</c>, and <c>password</c> (6–64) → the manager row and
    /// <c>__token</c>. Same codes as AuthUser: 403 USER_NOT_FOUND_OR_INCORRECT, 402 USER_DISABLED.
    /// </summary>
    private static ValueTask<Reply> AuthManager(CommandContext c)
    {
        var password = c.Data.RequireString("password", 64);
        if (password.Length < 6) throw ProtocolException.InvalidData("password must be 6 to 64 characters");
        var managers = Store(c).Managers;
        ManagerRecord? record;
        string who;
        if (c.Data.NullableLong("id") is { } id)
        {
            record = managers.Find(id)?.Record;
            who = $"manager:{id}";
        }
        else if (c.Data.OptionalString("email", 128) is { Length: > 0 } email)
        {
            record = managers.FindByEmail(email);
            who = record is null ? AuditActor.Anonymous : $"manager:{record.Id}";
        }
        else if (c.Data.OptionalString("name", 64) is { Length: > 0 } name)
        {
            record = managers.FindByName(name);
            who = record is null ? AuditActor.Anonymous : $"manager:{record.Id}";
        }
        else
        {
            throw ProtocolException.InvalidData("id, email or name is required");
        }

        if (record is null || record.Deleted || record.PasswordHash.Length == 0 || !PasswordHasher.Verify(password, record.PasswordHash))
        {
            AuditRecording.SignIn(c, AuditActions.AuthManager, who, false, "AuthManager: wrong manager or password");
            throw new ProtocolException(403, ErrorNames.UserNotFoundOrIncorrect, "wrong manager or password");
        }
        if (!record.Enable)
        {
            AuditRecording.SignIn(c, AuditActions.AuthManager, who, false, "AuthManager: manager disabled");
            throw new ProtocolException(402, ErrorNames.UserDisabled, $"manager {record.Id} is disabled");
        }
        var identity = new SessionIdentity
        {
            Type = record.Admin ? SessionType.Admin : SessionType.Manager,
            Id = record.Id,
            Name = record.Name,
            GroupMask = record.Groups,
            Rights = record.Rights.ToHashSet(StringComparer.Ordinal),
        };
        var token = c.Server.Tokens.Issue(identity, c.Server.Options.UserTokenLifetime, c.Server.Time.GetUtcNow());
        AuditRecording.SignIn(c, AuditActions.AuthManager, who, true, $"{record.Name} signed in (Server API, mask {record.Groups})");
        return ValueTask.FromResult(Reply.Object(w =>
        {
            WriteFields(w, record);
            w.WriteString("__token", token);
        }));
    }

    /// <summary>AddManager (admin): the record's fields; <c>name</c> required → <c>{"id":…}</c>.</summary>
    private static ValueTask<Reply> AddManager(CommandContext c)
    {
        var store = Store(c);
        var draft = Apply(c.Data, new ManagerRecord { Rights = Rights.ManagerDefault.ToList() }, requireName: true);
        var record = Change(c, () => store.Managers.Add(draft, c.Server.Time.GetUtcNow(), store.NextId()));
        Audit(c, "AddManager", record);
        return ValueTask.FromResult(Reply.Object(w => w.WriteNumber("id", record.Id)));
    }

    /// <summary>UpdateManager (admin): <c>id</c> and the fields to change; the others keep their values.</summary>
    private static ValueTask<Reply> UpdateManager(CommandContext c)
    {
        var id = c.Data.RequireLong("id");
        var managers = Store(c).Managers;
        var current = managers.Find(id) is { Record.Deleted: false } entry ? entry.Record : throw NotFound(id);
        var changed = Apply(c.Data, current, requireName: false);
        var record = Change(c, () => managers.Update(id, _ => changed, c.Server.Time.GetUtcNow())) ?? throw NotFound(id);
        Audit(c, "UpdateManager", record);
        return ValueTask.FromResult(Reply.Ok());
    }

    /// <summary>DeleteManager (admin): <c>id</c>. Its tokens and keys stop at once; the id is never given again.</summary>
    private static ValueTask<Reply> DeleteManager(CommandContext c)
    {
        var id = c.Data.RequireLong("id");
        if (id == c.Identity.Id && c.Identity.Type == SessionType.Admin && Store(c).Managers.Find(id) is { Record.WasAdmin: true })
        {
            throw new ProtocolException(400, "RET_CFG_LAST_ADMIN", "an admin cannot delete itself");
        }
        var managers = Store(c).Managers;
        var record = managers.Find(id) is { Record.Deleted: false } entry ? entry.Record : throw NotFound(id);
        if (!managers.Delete(id, c.Server.Time.GetUtcNow())) throw NotFound(id);
        Audit(c, "DeleteManager", record with { Deleted = true, Enable = false });
        return ValueTask.FromResult(Reply.Ok());
    }

    /// <summary>Reads the record's fields present in <paramref name="data"/> over <paramref name="record"/>.</summary>
    private static ManagerRecord Apply(DataReader data, ManagerRecord record, bool requireName)
    {
        if (requireName || data.Has("name"))
        {
            var name = data.RequireString("name", 64).Trim();
            if (name.Length == 0) throw ProtocolException.InvalidData("name must be 1 to 64 characters");
            record = record with { Name = name };
        }
        if (data.Has("groups"))
        {
            var groups = data.RequireString("groups", 1024).Trim();
            if (groups.Length == 0) throw ProtocolException.InvalidData("groups (the manager's group mask) must not be empty");
            record = record with { Groups = groups };
        }
        if (data.Has("password"))
        {
            var password = data.RequireString("password", 64);
            if (password.Length < 6) throw ProtocolException.InvalidData("password must be 6 to 64 characters");
            record = record with { PasswordHash = PasswordHasher.Create(password) };
        }
        // No one-time passwords: a secret would be accepted and never asked for, so it is refused, not dropped.
        if (data.OptionalString("otp_secret", 256) is { Length: > 0 }) throw ProtocolException.InvalidData("otp_secret is not supported: Dealwire has no one-time passwords");
        foreach (var (wire, max) in TextFields)
        {
            if (data.OptionalString(wire, max) is not { } text) continue;
            record = wire switch
            {
                "email" => record with { Email = text.Trim() },
                "phone" => record with { Phone = text },
                "country" => record with { Country = text },
                "city" => record with { City = text },
                "address" => record with { Address = text },
                "position" => record with { Position = text },
                "messengers" => record with { Messengers = text },
                "social_networks" => record with { SocialNetworks = text },
                _ => record with { Language = text },
            };
        }
        if (data.OptionalFlag("enable") is { } enable) record = record with { Enable = enable };
        if (data.OptionalFlag("admin") is { } admin) record = record with { Admin = admin };
        if (data.NullableInt("sort_index") is { } sort) record = record with { SortIndex = sort };
        var rights = record.Rights.ToHashSet(StringComparer.Ordinal);
        foreach (var right in Rights.Known)
        {
            if (data.OptionalFlag(right) is not { } granted) continue;
            if (granted) rights.Add(right);
            else rights.Remove(right);
        }
        return record with { Rights = rights.ToList() };
    }

    private static T Change<T>(CommandContext c, Func<T> change)
    {
        try
        {
            return change();
        }
        catch (ManagerRecordException ex)
        {
            throw new ProtocolException(400, "RET_CFG_DUPLICATE", ex.Message);
        }
    }

    private static ProtocolException NotFound(long id) => new(404, "RET_CFG_NOT_MANAGER_LOGIN", $"manager {id} not found");

    /// <summary>
    /// Records in the audit log the manager changes another process made (<c>dealwire manager …</c>, <c>dealwire key
    /// issue</c>), as the server notices them. Returns <paramref name="server"/> (called where the context is built).
    /// </summary>
    internal static ServerApiContext AuditOutsideChanges(ServerApiContext server)
    {
        if (server.ManagerKeys is { } keys && server.Audit is { } audit)
        {
            keys.Managers.ChangedOutside += changes =>
            {
                var now = server.Time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var change in changes)
                {
                    audit.Record(new AuditEvent(now, "system:0", change.Action, AuditStatus.Success, "cli", change.Detail + " (changed outside the server)"));
                }
            };
        }
        return server;
    }

    private static void Audit(CommandContext c, string action, ManagerRecord record) =>
        c.Server.Audit?.Record(new AuditEvent(c.Server.Time.GetUtcNow().ToUnixTimeMilliseconds(), c.Identity.Actor, action,
            AuditStatus.Success, c.Session.Remote, ManagerDirectory.Describe(record)));
}
