using Dealwire.Gateway.Sessions;
using Dealwire.Security;

namespace Dealwire.ManagerApi.Session;

/// <summary>
/// Keeps open sessions in step with the key file that <c>dealwire key issue|revoke</c> rewrites: a session
/// whose key was revoked or re-issued (its secret no longer authenticates) is closed with a logged reason;
/// a session whose key kept its secret but got another group mask sees through the new mask at once.
/// The file is polled by <see cref="KeyChangeWatch"/>: a change reaches live sessions within its interval.
/// </summary>
internal sealed class KeyWatch(ManagerApiContext context)
{
    public Task RunAsync(CancellationToken stop) =>
        KeyChangeWatch.RunAsync(() => context.Keys.Generation, () => Reconcile(context.Keys.Keys, context.Hub.Sessions), context.Time,
            context.Logger, "Manager API: the key file", stop);

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
