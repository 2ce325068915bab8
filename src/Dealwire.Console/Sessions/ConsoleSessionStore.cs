using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dealwire.Security;

namespace Dealwire.WebConsole.Sessions;

/// <summary>
/// Server-side console sessions keyed by a random id (the cookie holds only that id). A session ends when it is
/// idle for <see cref="ConsoleOptions.IdleTimeout"/>, when its token expires, or at sign-out; an ended id is
/// refused like an unknown one. A session whose manager is disabled or deleted ends at its next request; one whose
/// manager's rights or mask changed carries the new ones from its next request on (<see cref="ManagerKeyStore.Current"/>,
/// what the Server API and Manager API read at every command).
/// </summary>
public sealed class ConsoleSessionStore(ConsoleOptions options, TimeProvider time, IServiceProvider services)
{
    // The manager records (optional: a host without a key store has only token identities, fixed at sign-in).
    private readonly ManagerKeyStore? _managers = services.GetService(typeof(ManagerKeyStore)) as ManagerKeyStore;

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public ConsoleSession Open(SessionIdentity identity, string source)
    {
        Sweep();
        var session = new ConsoleSession(NewSecret(), identity, NewSecret(), time.GetUtcNow(), source);
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session of <paramref name="id"/>, touched; null when unknown or ended (ended ones are dropped).</summary>
    public ConsoleSession? Resume(string? id, out bool expired)
    {
        expired = false;
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session)) return null;
        var now = time.GetUtcNow();
        if (now - session.LastSeen > options.IdleTimeout || now >= session.Identity.ExpiresAt || !RefreshIdentity(session))
        {
            // Kept until the sweep so every request with this cookie is told "expired", not "not signed in".
            expired = true;
            return null;
        }
        session.Touch(now);
        return session;
    }

    /// <summary>Whether a session is still open, without counting as activity (a live stream is not the user at work).</summary>
    public bool IsOpen(ConsoleSession session)
    {
        var now = time.GetUtcNow();
        return _sessions.ContainsKey(session.Id) && now - session.LastSeen <= options.IdleTimeout && now < session.Identity.ExpiresAt
            && RefreshIdentity(session);
    }

    /// <summary>Re-reads the session's manager record; false when the manager is disabled or deleted (the session ends).</summary>
    private bool RefreshIdentity(ConsoleSession session)
    {
        if (_managers is null) return true;
        if (_managers.Current(session.Identity) is not { } current)
        {
            _sessions.TryRemove(session.Id, out _);
            return false;
        }
        session.Refresh(current);
        return true;
    }

    public void Close(string id) => _sessions.TryRemove(id, out _);

    /// <summary>Open sessions, for the online list.</summary>
    public IReadOnlyList<ConsoleSession> Online()
    {
        Sweep();
        return _sessions.Values.Where(IsOpen).OrderBy(s => s.SignedIn).ToList();
    }

    /// <summary>How long an ended session is remembered as expired before it is forgotten.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromHours(1);

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, s) in _sessions)
        {
            // now - Remembered, not ExpiresAt + Remembered: a key's identity never expires (DateTimeOffset.MaxValue).
            if (now - s.LastSeen > options.IdleTimeout + Remembered || now - Remembered >= s.Identity.ExpiresAt) _sessions.TryRemove(id, out _);
        }
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
