namespace Dealwire.ReadModel.History;

/// <summary>
/// A GetLogs query (scaletrade-tcp §7.10): a time range (Unix ms, inclusive), exact filters, a partial
/// <see cref="Detail"/> and a global <see cref="Text"/> filter; newest first, offset paging.
/// </summary>
public sealed record AuditLogQuery
{
    public long From { get; init; }
    public long To { get; init; } = long.MaxValue;

    /// <summary>CLIENT, MANAGER or SYSTEM (see <see cref="AuditActor"/>).</summary>
    public string? ActorType { get; init; }
    public long? ActorId { get; init; }
    public string? Action { get; init; }
    public string? Status { get; init; }
    public string? Source { get; init; }

    /// <summary>Substring of the detail (the command's JSON for journaled rows).</summary>
    public string? Detail { get; init; }

    /// <summary>Substring of any of actor, action, source or detail.</summary>
    public string? Text { get; init; }

    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
}

/// <summary>A GetLogs row: journaled commands and side-channel events alike.</summary>
public sealed record AuditLogEntry(long Time, string ActorType, long ActorId, string Action, string Status, string Source, string Detail);

/// <summary>A page of the audit log and the number of rows matching without paging.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditLogEntry> Rows, long Count);

/// <summary>Reads the audit log (the history store's <c>audit_log</c>), off the engine thread.</summary>
public interface IAuditLogReader
{
    Task<AuditLogPage> QueryAsync(AuditLogQuery query, CancellationToken cancellationToken = default);
}

/// <summary>
/// The actor strings of the journal ("manager:7", "admin:1", "user:1001", "system", "feed") as GetLogs'
/// <c>actor_type</c> / <c>actor_id</c>: staff sessions are MANAGER, traders and unknown callers CLIENT, the rest SYSTEM.
/// </summary>
public static class AuditActor
{
    public const string Client = "CLIENT";
    public const string Manager = "MANAGER";
    public const string System = "SYSTEM";

    /// <summary>Actor prefixes of staff sessions (SessionType names, lower case).</summary>
    public static readonly string[] ManagerPrefixes = ["manager", "dealer", "admin", "crmmanager", "crmadmin"];

    /// <summary>Actor prefixes of traders, customers and callers whose token was refused.</summary>
    public static readonly string[] ClientPrefixes = ["user", "customer", "anonymous"];

    /// <summary>The actor of a caller that presented no valid credential.</summary>
    public const string Anonymous = "anonymous:0";

    public static (string Type, long Id) Parse(string actor)
    {
        var colon = actor.IndexOf(':');
        var prefix = colon < 0 ? actor : actor[..colon];
        long id = 0;
        if (colon >= 0) long.TryParse(actor.AsSpan(colon + 1), global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out id);
        var type = ManagerPrefixes.Contains(prefix) ? Manager : ClientPrefixes.Contains(prefix) ? Client : System;
        return (type, id);
    }
}
