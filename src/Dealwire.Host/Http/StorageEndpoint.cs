using Dealwire.ReadModel.Exports;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dealwire.Host.Http;

/// <summary>
/// <c>GET /storage/{file_name}</c>: an export written by MngExportTradesByFilter / ExportTradesByLogin, fetched with
/// the caller's token (<c>Authorization: Bearer …</c>, or <c>?token=</c> for a plain link). Only the session that made
/// the file, or an admin, may fetch it; a manager must still be enabled and hold the export right, a user's token must
/// still name its account. Every fetch and refusal lands in the audit log. Statuses: 401 no or bad token, 403 not the
/// owner or no right, 404 unknown or expired name.
/// </summary>
internal static class StorageEndpoint
{
    public const string Path = "/storage/{file_name}";

    public static WebApplication MapStorage(this WebApplication app)
    {
        app.MapGet(Path, async (string file_name, HttpContext http, TokenService tokens, ManagerKeyStore managers, ILiveView view,
            ExportStorage storage, IAuditTrail audit, TimeProvider time) =>
        {
            var source = AuditSource.Of(http.Connection.RemoteIpAddress is { } ip ? new System.Net.IPEndPoint(ip, http.Connection.RemotePort) : null);
            void Audit(string actor, string status, string detail) =>
                audit.Record(new AuditEvent(time.GetUtcNow().ToUnixTimeMilliseconds(), actor, AuditActions.ExportDownload, status, source, detail));

            var validation = await tokens.ValidateAsync(BearerToken(http.Request));
            if (validation.Identity is not { } identity)
            {
                Audit("anonymous", AuditStatus.Error, $"{file_name}: {validation.Message}");
                return Problem(StatusCodes.Status401Unauthorized, "TOKEN_INVALID", validation.Message);
            }
            var current = Current(identity, managers, view);
            if (current is null)
            {
                Audit(identity.Actor, AuditStatus.Error, $"{file_name}: the token's manager or account no longer exists or is disabled");
                return Problem(StatusCodes.Status401Unauthorized, "TOKEN_INVALID", "the token's manager or account no longer exists or is disabled; sign in again");
            }
            if (storage.Find(file_name) is not { } file)
            {
                return Problem(StatusCodes.Status404NotFound, "NOT_FOUND", $"no export named '{file_name}' (unknown, or deleted after its retention of {storage.Retention})");
            }
            if (current.IsStaff && !current.HasRight(Rights.SeeExport))
            {
                Audit(current.Actor, AuditStatus.Error, $"{file_name}: the {Rights.SeeExport} right is missing");
                return Problem(StatusCodes.Status403Forbidden, "PERMISSION_DENIED", $"the {Rights.SeeExport} right is needed to fetch exports");
            }
            if (!current.IsAdmin && file.Owner != current.Actor)
            {
                Audit(current.Actor, AuditStatus.Error, $"{file_name}: belongs to another session");
                return Problem(StatusCodes.Status403Forbidden, "PERMISSION_DENIED", "this export belongs to another session");
            }
            Audit(current.Actor, AuditStatus.Success, file_name);
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(file.Path, file.ContentType, file.Name);
        });
        return app;
    }

    /// <summary>The identity as it stands now: a manager re-read from its record, a user's account still the one the token named.</summary>
    private static SessionIdentity? Current(SessionIdentity identity, ManagerKeyStore managers, ILiveView view)
    {
        if (identity.IsStaff) return managers.Current(identity);
        return view.RegistrationOf(identity.Id) == identity.RegistrationSequence ? identity : null;
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Query.TryGetValue("token", out var token) ? token.ToString() : null;
    }

    private static IResult Problem(int status, string error, string message) =>
        Results.Json(new { error, message }, statusCode: status);
}
