namespace Dealwire.ServerApi.Transport;

/// <summary>
/// Token bucket per connection: <c>rate</c> commands per second with a burst of one second's worth.
/// Only the connection's read loop touches it, so it needs no lock.
/// </summary>
internal sealed class CommandRateLimiter(int perSecond, TimeProvider time)
{
    private readonly double _rate = Math.Max(1, perSecond);
    private double _tokens = Math.Max(1, perSecond);
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
        _tokens = Math.Min(_rate, _tokens + elapsed * _rate);
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
