using System.Globalization;
using Dealwire.ReadModel.History;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// GetLogs (scaletrade-tcp §7.10): the history store's audit log — journaled manager/admin commands and the side
/// channel's sign-ins, refusals and start/stop — newest first, paged, with every documented filter.
/// </summary>
internal static class LogCommands
{
    public const int MaxLimit = 10_000;

    private static readonly string[] Structure = ["time", "actor_type", "actor_id", "action", "status", "source", "detail"];

    public static void Register(CommandTable table) => table.Add("GetLogs", GetLogs);

    private static async ValueTask<Reply> GetLogs(CommandContext c)
    {
        var reader = c.Server.AuditLog ?? throw new ProtocolException(503, "RET_ERROR", "the audit log is not available on this server");
        var query = Parse(c.Data);
        // Read-your-writes: a command this connection was answered for is in the log before it is listed.
        await c.Server.History.WaitForAsync(c.Session.AnsweredSequence);
        var page = await reader.QueryAsync(query);
        return Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("structure");
            foreach (var name in Structure) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var row in page.Rows)
            {
                w.WriteStartArray();
                w.WriteStringValue(DateTimeOffset.FromUnixTimeMilliseconds(row.Time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.WriteStringValue(row.ActorType);
                w.WriteNumberValue(row.ActorId);
                w.WriteStringValue(row.Action);
                w.WriteStringValue(row.Status);
                w.WriteStringValue(row.Source);
                w.WriteStringValue(row.Detail);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteNumber("count", page.Count);
            w.WriteEndObject();
        });
    }

    /// <summary>The documented fields: from/to (Unix seconds, inclusive), limit/offset required; the filters optional.</summary>
    internal static AuditLogQuery Parse(DataReader d)
    {
        var from = d.RequireLong("from");
        var to = d.RequireLong("to");
        var limit = d.RequireInt("limit");
        var offset = d.RequireInt("offset");
        if (from < 0 || to < 0) throw ProtocolException.InvalidData("from and to must not be negative");
        if (to < from) throw ProtocolException.InvalidData("to must not be before from");
        if (limit is < 1 or > MaxLimit) throw ProtocolException.InvalidData($"limit must be between 1 and {MaxLimit}");
        if (offset < 0) throw ProtocolException.InvalidData("offset must not be negative");

        var actorType = Blank(d.OptionalString("actor_type", 16))?.ToUpperInvariant();
        if (actorType is not (null or AuditActor.Client or AuditActor.Manager or AuditActor.System))
        {
            throw ProtocolException.InvalidData("actor_type must be CLIENT, MANAGER or SYSTEM");
        }
        var status = Blank(d.OptionalString("status", 16))?.ToUpperInvariant();
        if (status is not null && !AuditStatus.All.Contains(status)) throw ProtocolException.InvalidData("status must be SUCCESS, ERROR, WARNING or INFO");
        long? actorId = d.Has("actor_id") ? d.RequireLong("actor_id") : null;
        if (actorId < 0) throw ProtocolException.InvalidData("actor_id must not be negative");

        return new AuditLogQuery
        {
            From = WireTime.ToMilliseconds(from),
            // "to" is a whole second: every millisecond of it is inside.
            To = to >= long.MaxValue / 1000 ? long.MaxValue : to * 1000 + 999,
            ActorType = actorType,
            ActorId = actorId,
            Action = Blank(d.OptionalString("action", 64)),
            Status = status,
            Source = Blank(d.OptionalString("source", 128)),
            Detail = Blank(d.OptionalString("detail", 256)),
            Text = Blank(d.OptionalString("filter", 256)),
            Limit = limit,
            Offset = offset,
        };
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
