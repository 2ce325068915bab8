namespace Dealwire.ReadModel.History;

/// <summary>
/// The audit side channel: what the journal does not carry — sign-ins, refused attempts, server start and stop —
/// written to the history store's <c>audit_log</c> beside the journaled manager/admin commands. Gateways call
/// <see cref="Record"/> and go on: it only enqueues, a background writer stores the rows (docs/audit.md).
/// </summary>
public interface IAuditTrail
{
    /// <summary>Queues one event; never waits for the database. When the queue is full the event is counted as dropped.</summary>
    void Record(AuditEvent entry);
}

/// <summary>
/// One non-journaled audit event. <see cref="Actor"/> uses the journal's actor form ("manager:7", "user:1001",
/// "system"); <see cref="Source"/> is the remote endpoint ("127.0.0.1:53122") or "local".
/// </summary>
public sealed record AuditEvent(long Time, string Actor, string Action, string Status, string? Source, string Detail);

/// <summary>The <c>status</c> values of GetLogs rows (scaletrade-tcp §7.10).</summary>
public static class AuditStatus
{
    public const string Success = "SUCCESS";
    public const string Error = "ERROR";
    public const string Warning = "WARNING";
    public const string Info = "INFO";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Success, Error, Warning, Info };
}

/// <summary>The actions the side channel writes (journaled commands keep their journal name, e.g. "ledger.post").</summary>
public static class AuditActions
{
    /// <summary>A Manager API <c>auth_request</c> (the vendor's audit log names a manager sign-in AuthManager).</summary>
    public const string AuthManager = "AuthManager";

    /// <summary>A trader's sign-in with login and password (Server API AuthUser).</summary>
    public const string AuthUser = "AuthUser";

    /// <summary>An admin issuing a user token (Server API SSOAuthUser).</summary>
    public const string SsoAuthUser = "SSOAuthUser";

    /// <summary>A Server API command refused for its token (401) or for a missing right (403).</summary>
    public const string AccessDenied = "AccessDenied";

    /// <summary>An export file fetched (or refused) over HTTP: <c>GET /storage/{file_name}</c>.</summary>
    public const string ExportDownload = "ExportDownload";

    public const string ServerStart = "ServerStart";
    public const string ServerStop = "ServerStop";
}

/// <summary>The <c>source</c> of an audit row: a connection's remote endpoint, IPv4 clients written as IPv4 on dual-stack sockets.</summary>
public static class AuditSource
{
    public const string Local = "local";

    public static string Of(System.Net.EndPoint? remote) => remote switch
    {
        System.Net.IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new System.Net.IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        { } other => other.ToString() ?? Local,
        null => Local,
    };
}
