using Dealwire.Engine.Core;
using Dealwire.ManagerApi.Wire;


namespace Dealwire.ManagerApi.Session;

/// <summary>
/// <c>process_id</c> is the engine's idempotency key of the command it names, scoped to the manager
/// (<see cref="Actor"/>): it travels in the journal and the snapshot, so a retry answers the original
/// outcome after a restart too. The gateway keeps nothing.
/// </summary>
public sealed partial class ManagerSession
{
    /// <summary>
    /// The key of a trading command: the request name keeps one <c>process_id</c> used for two requests
    /// apart, as before. <c>update_balance</c> uses <see cref="ProcessIds.ToIdempotencyKey"/> (read back into
    /// the balance operation's <c>process_id</c>).
    /// </summary>
    internal static string TradingKey(string request, string processId) => $"{ProcessIds.ToIdempotencyKey(request)}:{CheckProcessId(processId)}";

    /// <summary>1–128 characters, else <c>invalid_message_format</c> (the engine bounds keys too).</summary>
    internal static string CheckProcessId(string processId) =>
        processId.Length is > 0 and <= MaxProcessIdLength ? processId : throw new RequestRejectedException(Protocol.ManagerErrors.InvalidMessageFormat);

    internal const int MaxProcessIdLength = 128;

    /// <summary>
    /// The engine's record of a key this manager already used, or null. A retry skips the gateway's own
    /// checks of the current state (account enabled, position still open, balance): the engine answers
    /// the original outcome, or refuses a different request under the same key.
    /// </summary>
    internal Task<IdempotencyRecord?> FindRetryAsync(string key)
    {
        var actor = Actor;
        return _context.Runner.QueryAsync(r => r.FindIdempotency(actor, key));
    }

    /// <summary>Two keys in one engine hop (update_position issues its stops and its metadata under two keys).</summary>
    internal Task<(IdempotencyRecord? First, IdempotencyRecord? Second)> FindRetriesAsync(string first, string second)
    {
        var actor = Actor;
        return _context.Runner.QueryAsync(r => (r.FindIdempotency(actor, first), r.FindIdempotency(actor, second)));
    }

    /// <summary>
    /// Whether this manager already used <paramref name="key"/>. Handlers ask only when one of their state
    /// checks would refuse, so a first attempt pays no extra engine hop for being retryable.
    /// </summary>
    internal async ValueTask<bool> IsRetryAsync(string key) => await FindRetryAsync(key) is not null;
}
