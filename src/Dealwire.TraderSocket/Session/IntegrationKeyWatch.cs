using Dealwire.Gateway.Sessions;

namespace Dealwire.TraderSocket.Session;

/// <summary>
/// Keeps open sessions in step with the key file <c>dealwire key issue|revoke --integration</c> rewrites: a session
/// whose key was revoked, re-issued or given another group mask is closed with a logged reason (a new mask means a
/// new snapshot, which a reconnect gives). New keys need nothing: every <c>auth_request</c> reads the current file.
/// The file is polled by <see cref="KeyChangeWatch"/>.
/// </summary>
internal sealed class IntegrationKeyWatch(TraderSocketContext context)
{
    public Task RunAsync(CancellationToken stop) =>
        KeyChangeWatch.RunAsync(() => context.Keys.Generation, Reconcile, context.Time, context.Logger, "JSON socket: the integration key file", stop);

    private void Reconcile()
    {
        var keys = context.Keys.Keys.ToDictionary(k => k.Name, StringComparer.Ordinal);
        foreach (var session in context.Hub.Sessions)
        {
            if (session.Key is not { } held) continue;
            if (!keys.TryGetValue(held.Name, out var current)) session.Close($"the key of integration '{held.Name}' was revoked");
            else if (current.KeyHash != held.KeyHash) session.Close($"the key of integration '{held.Name}' was re-issued");
            else if (current.GroupMask != held.GroupMask) session.Close($"the group mask of integration '{held.Name}' changed to '{current.GroupMask}'");
        }
    }
}
