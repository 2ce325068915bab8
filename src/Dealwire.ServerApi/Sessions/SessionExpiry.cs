using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Sessions;

/// <summary>
/// One timer per connection, due at the <c>exp</c> of its latest valid token. Re-armed only when a
/// command brings a token with another expiry, so a connection costs nothing per tick or per command
/// beyond one comparison. When it fires the session's access ends (<see cref="Session.EndAccess"/>).
/// </summary>
internal sealed class SessionExpiry(Session session)
{
    /// <summary>System.Threading timers take at most about 49.7 days; a longer wait is done in steps.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(45);

    private readonly object _gate = new();
    private ITimer? _timer;
    private TimeProvider? _time;
    // UtcTicks of the expiry armed; read without the lock on the hot path.
    private long _armedTicks;
    private bool _disposed;

    public void Arm(DateTimeOffset expiresAt, TimeProvider time)
    {
        var ticks = expiresAt.UtcTicks;
        if (Volatile.Read(ref _armedTicks) == ticks) return;
        lock (_gate)
        {
            if (_disposed || _armedTicks == ticks) return;
            _armedTicks = ticks;
            _time = time;
            var due = Due(expiresAt, time);
            if (_timer is null) _timer = time.CreateTimer(static s => ((SessionExpiry)s!).OnDue(), this, due, Timeout.InfiniteTimeSpan);
            else _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDue()
    {
        lock (_gate)
        {
            if (_disposed || _time is null) return;
            var expiresAt = new DateTimeOffset(_armedTicks, TimeSpan.Zero);
            // A long wait done in steps, or a timer that fires a little early: wait for the rest.
            if (expiresAt > _time.GetUtcNow())
            {
                _timer!.Change(Due(expiresAt, _time), Timeout.InfiniteTimeSpan);
                return;
            }
        }
        session.EndAccess(401, ErrorNames.TokenExpired, "the token of this connection expired: pushes stopped and the connection is closed; reconnect with a new token");
    }

    private static TimeSpan Due(DateTimeOffset expiresAt, TimeProvider time)
    {
        var due = expiresAt - time.GetUtcNow();
        if (due < TimeSpan.Zero) return TimeSpan.Zero;
        return due > LongestWait ? LongestWait : due;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
