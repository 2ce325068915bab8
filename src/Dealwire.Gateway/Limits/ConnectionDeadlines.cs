namespace Dealwire.Gateway.Limits;

/// <summary>Which deadline ended a connection.</summary>
public enum DeadlineKind
{
    None,
    /// <summary>No authenticated command within <see cref="IListenerLimits.AuthenticationTimeout"/>.</summary>
    Authentication,
    /// <summary>A started line not finished within <see cref="IListenerLimits.LineCompletionTimeout"/>.</summary>
    LineCompletion,
}

/// <summary>
/// The read deadlines of one connection (Kestrel's header timeout and the NATS auth timeout, for line
/// protocols): authenticate within a fixed time from accept, and finish any line within a fixed time from
/// its first byte. Bytes that arrive do not push either deadline back, so a client dripping one byte a
/// second holds a connection no longer than one that sends nothing. <see cref="Token"/> is what the read
/// loop awaits with; <see cref="Arm"/> points it at the nearest deadline after every read.
/// </summary>
public sealed class ConnectionDeadlines : IDisposable
{
    // Timers may fire a little before the timestamp clock agrees the time has come.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(10);
    private readonly TimeProvider _time;
    private readonly TimeSpan _authenticationTimeout;
    private readonly TimeSpan _lineTimeout;
    private readonly long _connectedAt;
    private readonly CancellationToken _stoppingToken;
    private readonly CancellationTokenRegistration _stopping;
    private CancellationTokenSource _timer;
    private long _lineStartedAt;
    private bool _partialLine;
    private int _authenticated;

    public ConnectionDeadlines(IListenerLimits limits, TimeProvider time, CancellationToken stopping)
    {
        _time = time;
        _authenticationTimeout = limits.AuthenticationTimeout;
        _lineTimeout = limits.LineCompletionTimeout;
        _connectedAt = time.GetTimestamp();
        _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _stoppingToken = stopping;
        _stopping = stopping.UnsafeRegister(static s => ((ConnectionDeadlines)s!).Stop(), this);
    }

    /// <summary>Cancelled when a deadline armed by <see cref="Arm"/> passes (or the server stops); read it after each <see cref="Arm"/>.</summary>
    public CancellationToken Token => Volatile.Read(ref _timer).Token;

    /// <summary>True once the server is stopping: the token fired for shutdown, not for a deadline.</summary>
    public bool IsStopping => _stoppingToken.IsCancellationRequested;

    public bool IsAuthenticated => Volatile.Read(ref _authenticated) != 0;

    /// <summary>The connection proved who it is: the authentication deadline no longer applies.</summary>
    public void MarkAuthenticated() => Volatile.Write(ref _authenticated, 1);

    /// <summary>
    /// Reports the framing of the latest read: <paramref name="partialBytes"/> of an unfinished line are left
    /// in the buffer, and <paramref name="completedLine"/> says whether that read finished a line (so what is
    /// left is a new line, started now, rather than the one already being timed).
    /// </summary>
    public void LineProgress(long partialBytes, bool completedLine)
    {
        if (partialBytes == 0)
        {
            _partialLine = false;
            return;
        }
        if (!_partialLine || completedLine) _lineStartedAt = _time.GetTimestamp();
        _partialLine = true;
    }

    /// <summary>Points <see cref="Token"/> at the nearest deadline, or at <paramref name="idle"/> from now when that is sooner.</summary>
    public void Arm(TimeSpan? idle = null)
    {
        if (_timer.IsCancellationRequested)
        {
            // Fired for a deadline that no longer applies (authenticated meanwhile): a token cannot be reset.
            if (IsStopping) return;
            _timer.Dispose();
            Volatile.Write(ref _timer, new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time));
            if (IsStopping) Stop();
        }
        var due = Remaining(out _);
        if (idle is { } limit && limit > TimeSpan.Zero && (due == Timeout.InfiniteTimeSpan || limit < due)) due = limit;
        _timer.CancelAfter(due == Timeout.InfiniteTimeSpan ? due : due < TimeSpan.Zero ? TimeSpan.Zero : due);
    }

    /// <summary>Which deadline has passed (None when the token fired for another reason: idle time or shutdown).</summary>
    public DeadlineKind Expired()
    {
        var left = Remaining(out var kind);
        return kind != DeadlineKind.None && left <= Tolerance ? kind : DeadlineKind.None;
    }

    /// <summary>A log line's reason for <paramref name="kind"/>.</summary>
    public string Describe(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Authentication => $"not authenticated within {_authenticationTimeout.TotalSeconds:0.###} s (authentication timeout)",
        DeadlineKind.LineCompletion => $"a line was not completed within {_lineTimeout.TotalSeconds:0.###} s (line completion timeout)",
        _ => "no deadline passed",
    };

    private TimeSpan Remaining(out DeadlineKind kind)
    {
        kind = DeadlineKind.None;
        var due = Timeout.InfiniteTimeSpan;
        if (!IsAuthenticated && _authenticationTimeout > TimeSpan.Zero)
        {
            due = _authenticationTimeout - _time.GetElapsedTime(_connectedAt);
            kind = DeadlineKind.Authentication;
        }
        if (_partialLine && _lineTimeout > TimeSpan.Zero)
        {
            var line = _lineTimeout - _time.GetElapsedTime(_lineStartedAt);
            if (kind == DeadlineKind.None || line < due)
            {
                due = line;
                kind = DeadlineKind.LineCompletion;
            }
        }
        return due;
    }

    private void Stop()
    {
        try
        {
            Volatile.Read(ref _timer).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Re-armed or disposed meanwhile; Arm checks IsStopping after replacing the timer.
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _timer.Dispose();
    }
}
