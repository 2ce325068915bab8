using Dealwire.Security;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Session;

/// <summary>
/// Keeps open sessions in step with the key file that <c>dealwire key issue|revoke</c> rewrites: a session
/// whose key was revoked or re-issued (its secret no longer authenticates) is closed with a logged reason;
/// a session whose key kept its secret but got another group mask sees through the new mask at once.
/// Polls the file's stamp (one stat per interval), so a change reaches live sessions within <see cref="Interval"/>.
/// </summary>
internal sealed class KeyWatch(ManagerApiContext context)
{
    /// <summary>How often the key file's stamp is checked.</summary>
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
                    Reconcile(context.Keys.Keys, context.Hub.Sessions);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    context.Logger.LogError(ex, "Manager API: the key file could not be read; open sessions keep their keys until it can");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Applies the current key set to every authenticated session.</summary>
    internal static void Reconcile(IReadOnlyList<ManagerKey> keys, IReadOnlyList<ManagerSession> sessions)
    {
        foreach (var session in sessions)
        {
            if (session.Key is not { } held) continue;
            var current = keys.FirstOrDefault(k => k.ManagerId == held.ManagerId);
            if (current is null)
            {
                session.EndAccess($"the key of manager '{held.Name}' was revoked");
            }
            else if (!string.Equals(current.KeyHash, held.KeyHash, StringComparison.Ordinal))
            {
                session.EndAccess($"the key of manager '{held.Name}' was re-issued");
            }
            else if (!string.Equals(current.GroupMask, held.GroupMask, StringComparison.Ordinal) || current.Name != held.Name)
            {
                session.ApplyKey(current);
            }
        }
    }
}
