using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// <c>data.idempotency_key</c>, a Dealwire extension of the money and trade commands: the engine's idempotency
/// key, scoped to the token's identity (the command's actor). A retry with the same key and the same request
/// answers the original outcome and changes nothing, after a restart too; the same key with a different
/// request is 400 <c>IDEMPOTENCY_KEY_REUSED</c>. Without the field, commands behave as the vendors' clients expect.
/// </summary>
internal static class IdempotencyKeys
{
    public const string Field = "idempotency_key";
    public const int MaxLength = 128;

    /// <summary>Keys of this protocol live apart from the Manager API's <c>process_id</c>s of the same actor.</summary>
    private const string Prefix = "srvapi:";

    /// <summary>The engine key of this request, or null when the caller sent none; 1–128 characters.</summary>
    public static string? Read(CommandContext c)
    {
        if (c.Data.OptionalString(Field, MaxLength) is not { } key) return null;
        if (key.Length == 0) throw ProtocolException.InvalidData($"{Field} must not be empty");
        return Prefix + key;
    }

    /// <summary>
    /// Whether this caller's key was already used by an accepted command. A retry skips the handler's checks of
    /// the current state (a position closed by the first attempt is not "not open"): the engine answers it.
    /// </summary>
    public static async Task<bool> IsRetryAsync(CommandContext c, string? key)
    {
        if (key is null) return false;
        var actor = c.Actor;
        return await c.QueryAsync(r => r.FindIdempotency(actor, key) is not null);
    }
}
