using Microsoft.Extensions.Logging;

namespace Dealwire.TraderSocket.Session;

/// <summary>
/// Keeps open sessions in step with the key file <c>dealwire key issue|revoke --integration</c> rewrites: a session
/// whose key was revoked, re-issued or given another group mask is closed with a logged reason (a new mask means a
/// new snapshot, which a reconnect gives). New keys need nothing: every <c>auth_request</c> reads the current file.
/// One stat of the file per <see cref="Interval"/>.
/// </summary>
internal sealed class IntegrationKeyWatch(TraderSocketContext context)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, context.Time);
        var seen = long.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    var generation = context.Keys.Generation;
                    if (generation == seen) continue;
                    seen = generation;
                    var keys = context.Keys.Keys.ToDictionary(k => k.Name, StringComparer.Ordinal);
                    foreach (var session in context.Hub.Sessions)
                    {
                        if (session.Key is not { } held) continue;
                        if (!keys.TryGetValue(held.Name, out var current)) session.Close($"the key of integration '{held.Name}' was revoked");
                        else if (current.KeyHash != held.KeyHash) session.Close($"the key of integration '{held.Name}' was re-issued");
                        else if (current.GroupMask != held.GroupMask) session.Close($"the group mask of integration '{held.Name}' changed to '{current.GroupMask}'");
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    context.Logger.LogError(ex, "JSON socket: the integration key file could not be read; open sessions keep their keys until it can");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
