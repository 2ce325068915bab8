using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Sessions;

/// <summary>
/// Runs before every console endpoint but sign-in: resolves the session cookie (an unknown, idle or expired session
/// goes to the sign-in page, or gets 401 when the request is not a page), and checks the anti-forgery token of
/// every mutating request before its handler runs. Rights and masks are then checked by each handler, per call.
/// </summary>
internal sealed class ConsoleGuard(ConsoleSessionStore sessions) : IEndpointFilter
{
    public const string CookieName = "dw_console";
    public const string CsrfField = "__csrf";
    public const string CsrfHeader = "X-CSRF-Token";
    private const string SessionKey = "dealwire.console.session";

    public static ConsoleSession Current(HttpContext context) => (ConsoleSession)context.Items[SessionKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var session = sessions.Resume(http.Request.Cookies[CookieName], out var expired);
        if (session is null)
        {
            if (HttpMethods.IsGet(http.Request.Method) && !IsLiveRequest(http))
            {
                return Results.Redirect(expired ? "/console/signin?expired=1" : "/console/signin");
            }
            return Results.Text(expired ? "session_expired: sign in again" : "not_signed_in: sign in first", "text/plain", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !await CsrfMatchesAsync(http, session))
        {
            return Results.Text("csrf_invalid: the anti-forgery token is missing or wrong; reload the page", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
        http.Items[SessionKey] = session;
        return await next(invocation);
    }

    private static bool IsLiveRequest(HttpContext http) => http.Request.Path.StartsWithSegments("/console/live");

    private static async Task<bool> CsrfMatchesAsync(HttpContext http, ConsoleSession session)
    {
        string? sent = http.Request.Headers[CsrfHeader];
        if (string.IsNullOrEmpty(sent) && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            sent = form[CsrfField];
        }
        if (string.IsNullOrEmpty(sent)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(session.CsrfToken));
    }

    /// <summary>The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), console paths only.</summary>
    public static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/console",
        IsEssential = true,
    };
}
