using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.WebConsole.Audit;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Sign-in with a manager key (<see cref="ManagerKeyStore.Authenticate"/>) or a staff token (<see cref="TokenService"/>):
/// the same two credentials the Manager API and the Server API accept, so the console grants nothing they would not.
/// </summary>
internal static class SignInScreen
{
    public static IResult Form(HttpRequest request)
    {
        var expired = request.Query["expired"] == "1";
        return Page.Render(null, "Sign in", "", SignInForm(expired ? "Your session expired; sign in again." : null, expired));
    }

    private static string SignInForm(string? message, bool error) =>
        Page.Notice(message, error) +
        "<form method=\"post\" action=\"/console/signin\" class=\"card signin\">" +
        "<label>Manager key or manager token<input type=\"password\" name=\"credential\" id=\"credential\" autocomplete=\"off\" required autofocus></label>" +
        "<button type=\"submit\" id=\"signin\">Sign in</button></form>";

    public static async Task<IResult> SubmitAsync(HttpContext http, ManagerKeyStore keys, TokenService tokens, ConsoleSessionStore sessions, ConsoleAudit audit, ILogger<ConsoleSessionStore> logger)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var credential = form["credential"].ToString().Trim();
        var identity = keys.Authenticate(credential);
        var refusal = credential.Length == 0 ? "no credential" : "unknown manager key or invalid token";
        if (identity is null && credential.Length > 0)
        {
            var validation = await tokens.ValidateAsync(credential);
            identity = validation.Identity is { IsStaff: true } staff ? staff : null;
            // A valid token of a trader is refused by kind: its actor is known, so the row names who tried.
            if (validation.Identity is { IsStaff: false } trader)
            {
                audit.SignIn(http, trader.Actor, false, "not a manager: trader tokens do not open the console");
                refusal = "";
            }
        }
        var source = http.Connection.RemoteIpAddress?.ToString() ?? "";
        if (identity is null)
        {
            logger.LogWarning("Console sign-in refused from {Source}", source);
            if (refusal.Length > 0) audit.SignIn(http, AuditActor.Anonymous, false, refusal);
            return Page.Render(null, "Sign in", "", SignInForm("auth_failed: unknown key or token, or not a manager", true), StatusCodes.Status401Unauthorized);
        }
        var session = sessions.Open(identity, source);
        audit.SignIn(http, identity.Actor, true, $"console sign-in of {identity.Name}, groups {identity.GroupMask}");
        logger.LogInformation("Console sign-in of {Actor} ({Name}) from {Source}", identity.Actor, identity.Name, source);
        http.Response.Cookies.Append(ConsoleGuard.CookieName, session.Id, ConsoleGuard.CookieOptions(http.Request));
        return Results.Redirect("/console/accounts");
    }

    public static IResult SignOut(HttpContext http, ConsoleSessionStore sessions, ConsoleAudit audit)
    {
        var session = ConsoleGuard.Current(http);
        sessions.Close(session.Id);
        audit.Record(http, session.Identity.Actor, ConsoleAudit.SignOutAction, AuditStatus.Info, "signed out");
        http.Response.Cookies.Delete(ConsoleGuard.CookieName, ConsoleGuard.CookieOptions(http.Request));
        return Results.Redirect("/console/signin");
    }
}
