using System.Data.Common;
using System.Text;

namespace Dealwire.ReadModel.History.Sql;

/// <summary>
/// The audit side of the store: side-channel rows (sign-ins, refusals, start/stop) go to <c>audit_log</c> with
/// negative sequence numbers — they are not journal entries, so they can never collide with a projected
/// command's sequence, and a rebuild (which re-projects the positive ones) leaves them alone. GetLogs reads both.
/// </summary>
internal abstract partial class SqlHistoryStore : IAuditStore
{
    private readonly SemaphoreSlim _auditGate = new(1, 1);
    private long _nextSideSequence;
    private volatile bool _auditOpen;

    private readonly SemaphoreSlim _auditOpenGate = new(1, 1);

    public async Task OpenAuditAsync(CancellationToken cancellationToken = default)
    {
        await _auditOpenGate.WaitAsync(cancellationToken);
        try
        {
            if (!_auditOpen) await OpenAuditOnceAsync(cancellationToken);
        }
        finally
        {
            _auditOpenGate.Release();
        }
    }

    private async Task OpenAuditOnceAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        // The projector may not have opened the store yet: the DDL is idempotent (CREATE … IF NOT EXISTS).
        foreach (var ddl in Schema) await ExecAsync(c, null, ddl, cancellationToken);
        if (!await HasColumnAsync(c, "audit_log", "status", cancellationToken))
        {
            // Stores made before the side channel lack the column (new ones have it from the schema). Journaled rows leave
            // it NULL (they are SUCCESS: a refused command changes nothing and is not audited as one).
            await ExecAsync(c, null, "ALTER TABLE audit_log ADD COLUMN status TEXT", cancellationToken);
        }
        await using var cmd = Command(c, null, "SELECT MIN(sequence) FROM audit_log");
        var min = await cmd.ExecuteScalarAsync(cancellationToken);
        _nextSideSequence = Math.Min(0L, min is null or DBNull ? 0L : Convert.ToInt64(min)) - 1;
        _auditOpen = true;
    }

    private static async Task<bool> HasColumnAsync(DbConnection c, string table, string column, CancellationToken ct)
    {
        try
        {
            await using var probe = Command(c, null, $"SELECT {column} FROM {table} WHERE 1 = 0");
            await using var r = await probe.ExecuteReaderAsync(ct);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    public async Task AppendAuditAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0) return;
        await _auditGate.WaitAsync(cancellationToken);
        try
        {
            if (!_auditOpen) await OpenAuditAsync(cancellationToken);
            await using var c = await OpenConnectionAsync(cancellationToken);
            await using var tx = await c.BeginTransactionAsync(cancellationToken);
            var rows = new List<object?[]>(events.Count);
            var next = _nextSideSequence;
            foreach (var e in events) rows.Add([next--, e.Time, e.Actor, e.Source, e.Action, e.Detail, e.Status]);
            await InsertRowsAsync(c, tx, "audit_log", "sequence, time, actor, source, command, payload, status", rows, "", cancellationToken);
            await tx.CommitAsync(cancellationToken);
            _nextSideSequence = next;
        }
        finally
        {
            _auditGate.Release();
        }
    }

    public async Task<AuditLogPage> QueryAsync(AuditLogQuery query, CancellationToken cancellationToken = default)
    {
        // A reader without the side channel's writer (an embedded gateway) still needs the status column.
        if (!_auditOpen) await OpenAuditAsync(cancellationToken);
        await using var c = await OpenConnectionAsync(cancellationToken);
        var where = new StringBuilder("time >= @from AND time <= @to");
        var parameters = new List<(string, object?)> { ("@from", query.From), ("@to", query.To) };
        AuditFilter(query, where, parameters);

        long count;
        await using (var cmd = Command(c, null, $"SELECT COUNT(*) FROM audit_log WHERE {where}"))
        {
            foreach (var (n, v) in parameters) Add(cmd, n, v);
            count = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken) ?? 0L);
        }

        var rows = new List<AuditLogEntry>();
        await using (var cmd = Command(c, null,
            $"SELECT time, actor, COALESCE(status, 'SUCCESS'), source, command, payload FROM audit_log WHERE {where} " +
            "ORDER BY time DESC, sequence DESC LIMIT @limit OFFSET @offset"))
        {
            foreach (var (n, v) in parameters) Add(cmd, n, v);
            Add(cmd, "@limit", query.Limit);
            Add(cmd, "@offset", query.Offset);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var (type, id) = AuditActor.Parse(r.GetString(1));
                rows.Add(new AuditLogEntry(r.GetInt64(0), type, id, r.GetString(4), r.GetString(2), r.IsDBNull(3) ? "" : r.GetString(3), r.GetString(5)));
            }
        }
        return new AuditLogPage(rows, count);
    }

    private static void AuditFilter(AuditLogQuery q, StringBuilder where, List<(string, object?)> p)
    {
        if (q.ActorType is { } type)
        {
            var staff = Prefixes(AuditActor.ManagerPrefixes);
            var clients = Prefixes(AuditActor.ClientPrefixes);
            where.Append(type switch
            {
                AuditActor.Manager => $" AND ({staff})",
                AuditActor.Client => $" AND ({clients})",
                _ => $" AND NOT ({staff}) AND NOT ({clients})",
            });
        }
        if (q.ActorId is { } id)
        {
            // "manager:7" / "user:1001"; actors without an id ("system", "feed") have id 0.
            where.Append(id == 0 ? " AND (actor LIKE @actorId OR actor NOT LIKE '%:%')" : " AND actor LIKE @actorId");
            p.Add(("@actorId", "%:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (q.Action is { } action)
        {
            where.Append(" AND command = @action");
            p.Add(("@action", action));
        }
        if (q.Status is { } status)
        {
            where.Append(" AND COALESCE(status, 'SUCCESS') = @status");
            p.Add(("@status", status));
        }
        if (q.Source is { } source)
        {
            where.Append(" AND source = @source");
            p.Add(("@source", source));
        }
        if (q.Detail is { } detail)
        {
            where.Append(" AND payload LIKE @detail ESCAPE '!'");
            p.Add(("@detail", Contains(detail)));
        }
        if (q.Text is { } text)
        {
            where.Append(" AND (actor LIKE @text ESCAPE '!' OR command LIKE @text ESCAPE '!' OR COALESCE(source, '') LIKE @text ESCAPE '!' OR payload LIKE @text ESCAPE '!')");
            p.Add(("@text", Contains(text)));
        }
    }

    private static string Prefixes(string[] prefixes) => string.Join(" OR ", prefixes.Select(x => $"actor LIKE '{x}:%'"));

    /// <summary>A LIKE pattern matching <paramref name="text"/> anywhere, its wildcards taken literally.</summary>
    private static string Contains(string text) =>
        "%" + text.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%";
}
