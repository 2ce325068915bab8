using System.Globalization;
using System.Text;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.WebConsole.Audit;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Managers and rights (screen 9): the manager records (<see cref="ManagerDirectory"/>, <c>keys/managers.json</c>, what
/// the Server API's GetManagers lists), a manager's rights and group mask, and for administrators an edit of them and
/// enable/disable — written to the same records UpdateManager writes, audited under the same action name with the
/// same detail (<see cref="ManagerDirectory.Describe"/>). The protocols and the console re-read a manager's record at
/// every command or request, so a narrowed right applies to that manager's open sessions at their next action.
/// </summary>
/// <remarks>
/// Visibility as GetManagers: an administrator sees every manager; a manager sees itself and the managers whose mask
/// lies inside its own. Only administrators change records (UpdateManager is admin-only); a refused attempt is audited.
/// Administrators also add managers (default rights, the mask and password they give) and delete them after a
/// confirmation step; both are written to the records as AddManager / DeleteManager write them and audited likewise.
/// </remarks>
internal static class ManagersScreen
{
    public const string UpdateAction = "UpdateManager";
    public const string AddAction = "AddManager";
    public const string DeleteAction = "DeleteManager";

    public static IResult List(HttpContext http, ManagerKeyStore keys)
    {
        var session = ConsoleGuard.Current(http);
        var sb = new StringBuilder(Page.Notice(session.TakeFlash().Text))
            .Append("<table id=\"managers\"><thead><tr><th>Id</th><th>Name</th><th>E-mail</th><th>Groups</th><th>Role</th><th>State</th><th>Rights</th></tr></thead><tbody>");
        foreach (var r in Visible(session, keys.Managers))
        {
            sb.Append("<tr data-id=\"").Append(Page.E(r.Id)).Append("\"><td><a href=\"/console/managers/").Append(Page.E(r.Id)).Append("\">").Append(Page.E(r.Id))
                .Append("</a></td><td>").Append(Page.E(r.Name)).Append("</td><td>").Append(Page.E(r.Email)).Append("</td><td><code>").Append(Page.E(r.Groups))
                .Append("</code></td><td>").Append(r.Admin ? "administrator" : "manager").Append("</td><td>").Append(State(r)).Append("</td><td class=\"wrap\">")
                .Append(r.Admin ? "every right" : Page.E(string.Join(", ", r.Rights))).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (session.Identity.IsAdmin)
        {
            sb.Append("<section class=\"card\"><h2>Add a manager</h2><form method=\"post\" action=\"/console/managers/add\" id=\"manager-add\">").Append(Page.Csrf(session))
                .Append("<label>Name <input name=\"name\" id=\"add-name\" required maxlength=\"64\"></label>")
                .Append("<label>E-mail <input name=\"email\" id=\"add-email\" type=\"email\" maxlength=\"128\"></label>")
                .Append("<label>Group mask <input name=\"groups\" id=\"add-groups\" required maxlength=\"1024\" value=\"*\"></label>")
                .Append("<label>Password <input name=\"password\" id=\"add-password\" type=\"password\" minlength=\"6\" maxlength=\"64\" autocomplete=\"new-password\"></label>")
                .Append("<button id=\"manager-add-submit\">Add manager</button></form><p class=\"hint\">A new manager gets the default rights; ")
                .Append("change them on its page. It signs in with AuthManager (e-mail or id and the password) or a key from <code>dealwire key issue --manager</code>.</p></section>");
        }
        return Page.Render(session, "Managers", "/console/managers", sb.ToString());
    }

    public static IResult Card(HttpContext http, long id, ManagerKeyStore keys)
    {
        var session = ConsoleGuard.Current(http);
        if (Find(session, keys.Managers, id) is not { } r) return NotFound(session, id);
        var (flash, flashIsError) = session.TakeFlash();
        var edit = session.Identity.IsAdmin;
        var sb = new StringBuilder(Page.Notice(flash, flashIsError)).Append("<p><a href=\"/console/managers\">‹ Managers</a></p>");
        sb.Append("<section class=\"card\"><h2>Record</h2><dl id=\"manager\">")
            .Append(Term("Name", r.Name, "mgr-name")).Append(Term("E-mail", r.Email, "mgr-email")).Append(Term("Role", r.Admin ? "administrator (every right)" : "manager", "mgr-role"))
            .Append("<dt>State</dt><dd id=\"mgr-state\">").Append(State(r)).Append("</dd>")
            .Append(Term("Group mask", r.Groups, "mgr-groups")).Append(Term("Rights", r.Admin ? "every right" : string.Join(", ", r.Rights), "mgr-rights"))
            .Append(Term("Updated", r.Updated.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "mgr-updated")).Append("</dl></section>");
        if (edit)
        {
            var action = "/console/managers/" + Page.E(r.Id);
            sb.Append("<section class=\"card\"><h2>Rights and group mask</h2><form method=\"post\" action=\"").Append(action).Append("\" id=\"manager-edit\">").Append(Page.Csrf(session))
                .Append("<label>Group mask <input name=\"groups\" id=\"edit-groups\" required maxlength=\"1024\" value=\"").Append(Page.E(r.Groups)).Append("\"></label><fieldset class=\"rights\"><legend>Rights</legend>");
            var held = r.Rights.ToHashSet(StringComparer.Ordinal);
            foreach (var right in Rights.Known.Order(StringComparer.Ordinal))
            {
                sb.Append("<label class=\"check\"><input type=\"checkbox\" name=\"rights\" value=\"").Append(Page.E(right)).Append("\" id=\"right-").Append(Page.E(right)).Append('"')
                    .Append(held.Contains(right) ? " checked" : "").Append('>').Append(Page.E(right)).Append("</label>");
            }
            sb.Append("</fieldset><button id=\"manager-save\">Save rights and mask</button></form>")
                .Append("<form method=\"post\" action=\"").Append(action).Append("/enabled\" class=\"inline\">").Append(Page.Csrf(session))
                .Append("<input type=\"hidden\" name=\"value\" value=\"").Append(r.Enable ? "false" : "true").Append("\"><button id=\"toggle-manager\">")
                .Append(r.Enable ? "Disable manager" : "Enable manager").Append("</button></form>")
                .Append("<form method=\"post\" action=\"").Append(action).Append("/admin\" class=\"inline\">").Append(Page.Csrf(session))
                .Append("<input type=\"hidden\" name=\"value\" value=\"").Append(r.Admin ? "false" : "true").Append("\"><button id=\"toggle-admin\">")
                .Append(r.Admin ? "Remove administrator role" : "Make administrator").Append("</button></form>")
                .Append("<form method=\"post\" action=\"").Append(action).Append("/delete\" class=\"inline\">").Append(Page.Csrf(session))
                .Append("<button id=\"delete-manager\" class=\"danger\">Delete manager…</button></form></section>");
        }
        return Page.Render(session, $"Manager {r.Id} · {r.Name}", "/console/managers", sb.ToString());
    }

    /// <summary>Rights and mask (admin only): the checked rights replace the record's list, as UpdateManager's flags would.</summary>
    public static async Task<IResult> UpdateAsync(HttpContext http, long id, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        if (Refused(http, session, audit, id) is { } refused) return refused;
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var groups = form["groups"].ToString().Trim();
        var rights = form["rights"].Select(v => v ?? "").ToList();
        var unknown = rights.FirstOrDefault(r => !Rights.Known.Contains(r));
        string? invalid = groups.Length is 0 or > 1024 ? "invalid_data: the group mask must be 1 to 1024 characters"
            : unknown is not null ? $"invalid_data: unknown right '{unknown}'"
            : null;
        return Change(http, session, keys, audit, time, id, invalid, r => r with { Groups = groups, Rights = rights }, "rights and group mask saved");
    }

    /// <summary>Enable or disable (admin only). A disabled manager's tokens, keys and console sessions stop at their next use.</summary>
    public static Task<IResult> SetEnabledAsync(HttpContext http, long id, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time) =>
        // Disabling oneself would end this very session and may leave no administrator to undo it.
        SetFlagAsync(http, id, keys, audit, time, (r, on) => r with { Enable = on }, "you cannot disable your own manager record", "manager enabled", "manager disabled");

    /// <summary>
    /// Grant or remove the administrator role (admin only; UpdateManager's <c>admin</c> flag). The manager's tokens, keys
    /// and console sessions take the new role at their next use. Removing one's own role is refused: it would leave this
    /// session unable to undo it, and possibly no administrator at all.
    /// </summary>
    public static Task<IResult> SetAdminAsync(HttpContext http, long id, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time) =>
        SetFlagAsync(http, id, keys, audit, time, (r, on) => r with { Admin = on }, "you cannot remove your own administrator role",
            "administrator role granted", "administrator role removed");

    /// <summary>A yes/no flag of the record from the form's <c>value</c> (admin only); turning it off on one's own record is refused.</summary>
    private static async Task<IResult> SetFlagAsync(HttpContext http, long id, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time,
        Func<ManagerRecord, bool, ManagerRecord> set, string selfOff, string doneOn, string doneOff)
    {
        var session = ConsoleGuard.Current(http);
        if (Refused(http, session, audit, id) is { } refused) return refused;
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        bool? on = form["value"].ToString() switch { "true" => true, "false" => false, _ => null };
        var invalid = on is null ? "invalid_data: value is true or false"
            : on == false && IsSelf(session, keys.Managers, id) ? "invalid_data: " + selfOff
                : null;
        return Change(http, session, keys, audit, time, id, invalid, r => set(r, on ?? false), on == true ? doneOn : doneOff);
    }

    /// <summary>
    /// Add (admin only): name (1–64, unique), e-mail (unique when given), group mask and an optional password (6–64,
    /// PBKDF2 like AddManager's); the default manager rights. Redirects to the new manager's page.
    /// </summary>
    public static async Task<IResult> AddAsync(HttpContext http, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        if (Refused(http, session, audit, AddAction, "a new manager") is { } refused) return refused;
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var name = form["name"].ToString().Trim();
        var email = form["email"].ToString().Trim();
        var groups = form["groups"].ToString().Trim();
        var password = form["password"].ToString();
        var invalid = name.Length is 0 or > 64 ? "invalid_data: the name must be 1 to 64 characters"
            : email.Length > 128 || (email.Length > 0 && email.IndexOf('@', StringComparison.Ordinal) <= 0) ? "invalid_data: the e-mail is not an address"
            : groups.Length is 0 or > 1024 ? "invalid_data: the group mask must be 1 to 1024 characters"
            : password.Length is > 0 and (< 6 or > 64) ? "invalid_data: the password must be 6 to 64 characters"
            : null;
        if (invalid is null)
        {
            try
            {
                var draft = new ManagerRecord
                {
                    Name = name, Email = email, Groups = groups, Rights = Rights.ManagerDefault.Order(StringComparer.Ordinal).ToList(),
                    PasswordHash = password.Length > 0 ? PasswordHasher.Create(password) : "",
                };
                var added = keys.Managers.Add(draft, time.GetUtcNow(), keys.NextId());
                audit.Record(http, session.Identity.Actor, AddAction, AuditStatus.Success, ManagerDirectory.Describe(added) + " (console)");
                session.Flash = $"Manager {added.Id} added.";
                session.FlashIsError = false;
                return Results.Redirect($"/console/managers/{added.Id}");
            }
            catch (ManagerRecordException ex)
            {
                invalid = "RET_CFG_DUPLICATE: " + ex.Message;
            }
        }
        session.Flash = invalid;
        session.FlashIsError = true;
        return Results.Redirect("/console/managers");
    }

    /// <summary>
    /// Delete (admin only), in two steps: the first POST shows what will happen, the second (<c>confirm=yes</c>) deletes.
    /// The record stays as a tombstone (ids are never reused), so its tokens, keys and console sessions stop at once.
    /// An administrator cannot delete its own record.
    /// </summary>
    public static async Task<IResult> DeleteAsync(HttpContext http, long id, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time)
    {
        var session = ConsoleGuard.Current(http);
        if (Refused(http, session, audit, DeleteAction, $"manager {id}") is { } refused) return refused;
        if (Find(session, keys.Managers, id) is not { } record) return NotFound(session, id);
        if (IsSelf(session, keys.Managers, id))
        {
            session.Flash = "RET_CFG_LAST_ADMIN: you cannot delete your own manager record";
            session.FlashIsError = true;
            return Results.Redirect($"/console/managers/{id}");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["confirm"] != "yes")
        {
            var body = new StringBuilder("<section class=\"card\" id=\"delete-confirm\"><h2>Delete manager ").Append(Page.E(record.Id)).Append(" · ").Append(Page.E(record.Name))
                .Append("?</h2><p>Its tokens, keys and console sessions stop at once; its id is never given again. The audit journal keeps its history.</p>")
                .Append("<form method=\"post\" action=\"/console/managers/").Append(Page.E(id)).Append("/delete\" class=\"inline\">").Append(Page.Csrf(session))
                .Append("<input type=\"hidden\" name=\"confirm\" value=\"yes\"><button id=\"delete-confirm-yes\" class=\"danger\">Delete</button></form> ")
                .Append("<a href=\"/console/managers/").Append(Page.E(id)).Append("\" id=\"delete-cancel\">Cancel</a></section>");
            return Page.Render(session, $"Delete manager {record.Id}", "/console/managers", body.ToString());
        }
        if (!keys.Managers.Delete(id, time.GetUtcNow())) return NotFound(session, id);
        audit.Record(http, session.Identity.Actor, DeleteAction, AuditStatus.Success, ManagerDirectory.Describe(record with { Deleted = true, Enable = false }) + " (console)");
        session.Flash = $"Manager {id} ({record.Name}) deleted.";
        session.FlashIsError = false;
        return Results.Redirect("/console/managers");
    }

    /// <summary>Whether record <paramref name="id"/> is the signed-in manager's own (admin tokens belong to a record only once it was an admin).</summary>
    private static bool IsSelf(ConsoleSession session, ManagerDirectory managers, long id) =>
        id == session.Identity.Id && managers.Find(id) is { } entry && (session.Identity.Type != SessionType.Admin || entry.Record.WasAdmin);

    private static IResult Change(HttpContext http, ConsoleSession session, ManagerKeyStore keys, ConsoleAudit audit, TimeProvider time, long id, string? invalid,
        Func<ManagerRecord, ManagerRecord> change, string done)
    {
        var back = $"/console/managers/{id}";
        if (invalid is not null)
        {
            session.Flash = invalid;
            session.FlashIsError = true;
            return Results.Redirect(back);
        }
        ManagerRecord? updated;
        try
        {
            updated = keys.Managers.Update(id, change, time.GetUtcNow());
        }
        catch (ManagerRecordException ex)
        {
            session.Flash = "RET_CFG_DUPLICATE: " + ex.Message;
            session.FlashIsError = true;
            return Results.Redirect(back);
        }
        if (updated is null) return NotFound(session, id);
        audit.Record(http, session.Identity.Actor, UpdateAction, AuditStatus.Success, ManagerDirectory.Describe(updated) + " (console)");
        session.Flash = $"Manager {id}: {done}.";
        session.FlashIsError = false;
        return Results.Redirect(back);
    }

    /// <summary>The server-side check of every change: administrators only; a refused attempt is audited as an error.</summary>
    private static IResult? Refused(HttpContext http, ConsoleSession session, ConsoleAudit audit, long id) =>
        Refused(http, session, audit, UpdateAction, $"manager {id}");

    private static IResult? Refused(HttpContext http, ConsoleSession session, ConsoleAudit audit, string action, string what)
    {
        if (session.Identity.IsAdmin) return null;
        audit.Record(http, session.Identity.Actor, action, AuditStatus.Error, $"{what}: refused, changing managers needs an administrator (console)");
        return Page.Forbidden(session, "changing managers needs an administrator");
    }

    /// <summary>What GetManagers shows this session: everything to an administrator, else itself and managers inside its mask.</summary>
    internal static IEnumerable<ManagerRecord> Visible(ConsoleSession session, ManagerDirectory managers) =>
        managers.Listed.Where(r => session.Identity.IsAdmin || r.Id == session.Identity.Id || session.Mask.Matches(r.Groups));

    private static ManagerRecord? Find(ConsoleSession session, ManagerDirectory managers, long id) =>
        managers.Find(id) is { Record: { Deleted: false } r } && (session.Identity.IsAdmin || r.Id == session.Identity.Id || session.Mask.Matches(r.Groups)) ? r : null;

    private static IResult NotFound(ConsoleSession session, long id) =>
        Page.Render(session, "Not found", "/console/managers", Page.Notice($"manager_not_found: no visible manager {id}", true), StatusCodes.Status404NotFound);

    private static string State(ManagerRecord r) => r.Enable ? "<span class=\"flag ok\">enabled</span>" : "<span class=\"flag bad\">disabled</span>";

    private static string Term(string name, string value, string id) => $"<dt>{Page.E(name)}</dt><dd id=\"{id}\">{Page.E(value)}</dd>";
}
