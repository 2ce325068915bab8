using Dealwire.ReadModel.Live;
using Dealwire.Engine.Model;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>SSOAuthUser (admin issues a user token) and AuthUser (login + password, no token needed).</summary>
internal static class AuthCommands
{
    public static void Register(CommandTable table)
    {
        table.Add("SSOAuthUser", SsoAuthUser);
        table.Add("AuthUser", AuthUser);
    }

    private static async ValueTask<Reply> SsoAuthUser(CommandContext c)
    {
        var login = c.Data.RequireLong("login");
        var account = await c.ReadAsync(r => r.GetAccount(login));
        try
        {
            var reply = await IssueAsync(c, account, login);
            AuditRecording.SignIn(c, ReadModel.History.AuditActions.SsoAuthUser, c.Actor, true, $"token issued for account {login}");
            return reply;
        }
        catch (ProtocolException ex)
        {
            AuditRecording.SignIn(c, ReadModel.History.AuditActions.SsoAuthUser, c.Actor, false, $"account {login}: {ex.Error} {ex.Message}");
            throw;
        }
    }

    private static async ValueTask<Reply> AuthUser(CommandContext c)
    {
        var login = c.Data.RequireLong("login");
        if (login < 0) throw ProtocolException.InvalidData("login must not be negative");
        var password = c.Data.RequireString("password", 64);
        if (password.Length < 6) throw ProtocolException.InvalidData("password must be 6 to 64 characters");
        var account = await c.ReadAsync(r => r.GetAccount(login));
        var actor = $"user:{login}";
        if (account is null || !PasswordHash.Verify(password, account.Profile.PasswordHash))
        {
            AuditRecording.SignIn(c, ReadModel.History.AuditActions.AuthUser, actor, false, "wrong login or password");
            throw new ProtocolException(403, ErrorNames.UserNotFoundOrIncorrect, "wrong login or password");
        }
        try
        {
            var reply = await IssueAsync(c, account, login);
            AuditRecording.SignIn(c, ReadModel.History.AuditActions.AuthUser, actor, true, "signed in");
            return reply;
        }
        catch (ProtocolException ex)
        {
            AuditRecording.SignIn(c, ReadModel.History.AuditActions.AuthUser, actor, false, $"{ex.Error} {ex.Message}");
            throw;
        }
    }

    private static async Task<Reply> IssueAsync(CommandContext c, AccountSnapshot? account, long login)
    {
        if (account is null) throw new ProtocolException(404, ErrorNames.UserNotFoundOrIncorrect, $"account {login} not found");
        var profile = account.Profile;
        if (!profile.Enabled) throw new ProtocolException(402, ErrorNames.UserDisabled, $"account {login} is disabled");
        var group = await c.ReadAsync(r => r.GetGroup(profile.Group));
        if (group is null) throw new ProtocolException(404, ErrorNames.GroupNotFound, $"group {profile.Group} not found");

        var identity = new SessionIdentity
        {
            Type = SessionType.User,
            Id = login,
            Name = profile.Name,
            GroupMask = profile.Group,
            // Bound to this account instance: if the login is deleted and created again, the token dies with it.
            RegistrationSequence = profile.RegistrationSequence,
        };
        var token = c.Server.Tokens.Issue(identity, c.Server.Options.UserTokenLifetime, c.Server.Time.GetUtcNow());
        return Reply.Object(w =>
        {
            w.WriteString("id", profile.ExternalId);
            w.WriteNumber("login", login);
            w.WriteNumber("regdate", WireTime.ToSeconds(profile.RegistrationTime));
            w.WriteNumber("leverage", profile.Leverage > 0 ? profile.Leverage : account.Margin.Leverage);
            w.WriteString("email", profile.Email);
            w.WriteString("name", profile.Name);
            w.WriteString("phone", profile.Phone);
            w.WriteString("address", profile.Address);
            w.WriteString("city", profile.City);
            w.WriteString("state", profile.State);
            w.WriteString("country", profile.Country);
            w.WriteString("zipcode", profile.ZipCode);
            w.WriteString("group", profile.Group);
            w.WriteString("currency", group.Currency);
            w.WriteString("__token", token);
        });
    }
}
