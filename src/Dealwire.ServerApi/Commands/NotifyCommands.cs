using System.Buffers;
using System.Text;
using System.Text.Json;
using Dealwire.ReadModel.Live;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// MngAddNotify (scaletrade-tcp §7.11): the notification is pushed as an "n" array to the recipient account's
/// sessions and the staff whose mask covers its group (see EventFanout.PublishNotification).
/// </summary>
internal static class NotifyCommands
{
    public static void Register(CommandTable table) => table.Add("MngAddNotify", AddNotify);

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
        if (userId < 0) throw ProtocolException.InvalidData("user_id must not be negative");
        if (userId == 0 && !c.Identity.IsAdmin) throw ProtocolException.NotEnoughRights("only an admin may broadcast (user_id 0)");
        // An existing account's login must lie in the caller's mask (and the note then reaches that account and the
        // staff of its group only); an id no account holds addresses the staff sessions of that manager id.
        if (userId != 0 && await IsAccountAsync(c, userId)) await c.RequireAccountAsync(userId);

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
            DataJson = ReadData(d),
        };
        await c.SubmitAsync(new AddNotification(notification) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static async Task<bool> IsAccountAsync(CommandContext c, long login) =>
        await c.ReadAsync(r => r.GetAccount(login) is not null);

    private const int MaxDataBytes = 2048;

    /// <summary>The optional <c>data</c> object as compact JSON: its values keep their JSON types (42 stays a number).</summary>
    private static string? ReadData(DataReader d)
    {
        if (!d.Raw.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null) return null;
        if (data.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("data must be an object");
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) data.WriteTo(writer);
        if (buffer.WrittenCount > MaxDataBytes) throw ProtocolException.InvalidData($"data must be at most {MaxDataBytes} bytes of JSON");
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
