namespace Dealwire.Gateway.Limits;

/// <summary>
/// The requests of one connection that run at once. The read loop takes a slot before it starts a request (so a client
/// that sends faster than it is answered stops being read at the limit, instead of queuing without bound), the request
/// frees it when it ends, and the connection's end awaits every request already read: a received request is answered,
/// or (never read) not applied.
/// </summary>
/// <remarks>
/// The request is started by the caller and handed over as a task, not as a delegate: the command path allocates no
/// closure for it. The slots' semaphore is not disposed: requests still running free their slots after the read
/// loop has ended (a semaphore whose wait handle is never asked for holds nothing to dispose).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Requests still running free their slots after the connection's end.")]
public sealed class InFlightRequests(int limit)
{
    // Finished requests are dropped from the list once it holds this many, so a long connection keeps a short list.
    private const int TrimAbove = 256;

    private readonly SemaphoreSlim _slots = new(Math.Max(1, limit));
    private readonly List<Task> _running = new();

    /// <summary>Waits until fewer than the limit run; the caller then starts its request and hands it to <see cref="Started"/>.</summary>
    public Task WaitForSlotAsync(CancellationToken cancellationToken = default) => _slots.WaitAsync(cancellationToken);

    /// <summary>Tracks a request started after <see cref="WaitForSlotAsync"/>; it calls <see cref="Finished"/> when it ends.</summary>
    public void Started(Task request)
    {
        _running.Add(request);
        if (_running.Count > TrimAbove) _running.RemoveAll(static t => t.IsCompleted);
    }

    /// <summary>Frees the slot of a request that ended, whichever way.</summary>
    public void Finished() => _slots.Release();

    /// <summary>
    /// Completes when every request started so far has ended: at the connection's end, and before a request that must
    /// run alone (the read loop awaits it, so nothing new starts meanwhile).
    /// </summary>
    public async Task AllEndedAsync()
    {
        await Task.WhenAll(_running);
        _running.Clear();
    }
}
