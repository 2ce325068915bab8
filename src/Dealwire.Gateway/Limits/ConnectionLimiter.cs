namespace Dealwire.Gateway.Limits;

/// <summary>
/// Counts the open connections of one listener against its cap. Taken before anything else is allocated
/// for a connection, so a flood of accepts costs one refused reply each.
/// </summary>
public sealed class ConnectionLimiter(int maxConnections)
{
    private long _open;
    private long _refused;

    public int MaxConnections { get; } = Math.Max(1, maxConnections);

    public int Open => (int)Interlocked.Read(ref _open);

    /// <summary>Connections refused because the cap was reached (monitoring and tests).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes a slot; false (nothing taken) when <see cref="MaxConnections"/> are open.</summary>
    public bool TryAcquire()
    {
        if (BoundedCounter.TryAdd(ref _open, 1, MaxConnections)) return true;
        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>Gives back a slot taken by <see cref="TryAcquire"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _open);

    /// <summary>
    /// Serves a connection inside a slot: <paramref name="refuse"/> answers it (one protocol error frame) when
    /// the cap is reached, otherwise <paramref name="serve"/> runs and the slot is given back however it ends.
    /// </summary>
    public async Task ServeAsync(Func<ValueTask> refuse, Func<Task> serve)
    {
        if (!TryAcquire())
        {
            await refuse();
            return;
        }
        try
        {
            await serve();
        }
        finally
        {
            Release();
        }
    }
}
