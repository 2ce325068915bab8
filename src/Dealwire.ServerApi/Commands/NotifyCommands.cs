using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>MngAddNotify (scaletrade-tcp §7.11): the notification is pushed as an "n" array.</summary>
internal static class NotifyCommands
{
    public static void Register(CommandTable table) => table.Add("MngAddNotify", Access.Staff(), AddNotify);

    private static async ValueTask<Reply> AddNotify(CommandContext c)
    {
        var d = c.Data;
        var userId = d.RequireLong("user_id");
        var token = d.RequireString("token", 128);
        if (token.Length == 0) throw ProtocolException.InvalidData("token must not be empty");
        var message = d.RequireString("message", 256);
        var type = d.RequireInt("type");
        var level = d.RequireInt("level");
        if (level is not (0 or 10 or 20 or 30 or 40 or 50 or 60)) throw ProtocolException.InvalidData("level must be 10, 20, 30, 40, 50 or 60");
        var status = d.RequireInt("status");
        // A login inside the manager's scope, or a manager id (which has no account).
        if (userId != 0 && c.Server.Mirror.GroupOf(userId) is not null) await c.RequireAccountAsync(userId);
        if (userId == 0 && !c.Identity.IsAdmin) throw ProtocolException.NotEnoughRights("only an admin may broadcast (user_id 0)");

        var notification = new Notification
        {
            Token = token,
            UserId = userId,
            Message = message,
            Description = d.OptionalString("description", 2048) ?? "",
            Level = (NotifyLevel)level,
            Status = status,
            Type = type,
            Access = d.OptionalInt("access"),
            Code = d.OptionalInt("code", 200),
            ExpireTime = WireTime.ToMilliseconds(d.OptionalLong("exp_time")),
            Data = ReadData(d),
        };
        await c.SubmitAsync(new AddNotification(notification) { Actor = c.Actor });
        return Reply.Ok();
    }

    /// <summary>The optional <c>data</c> object, flattened to string values (numbers keep their JSON text).</summary>
    private static Dictionary<string, string>? ReadData(DataReader d)
    {
        if (!d.Raw.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null) return null;
        if (data.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("data must be an object");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in data.EnumerateObject())
        {
            result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }
        return result;
    }
}
