namespace Dealwire.Feeds;

/// <summary>Lifecycle shared by feeds that run one loop on their own: start once, stop by cancelling and awaiting it.</summary>
public abstract class BackgroundFeed : IQuoteFeed
{
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private long _offered;
    private long _refused;

    protected BackgroundFeed(ITickTarget target, TimeProvider clock)
    {
        Target = target;
        Clock = clock;
    }

    public abstract string Name { get; }

    public long TicksOffered => Interlocked.Read(ref _offered);

    /// <summary>Ticks the target refused (filtered out or dropped by a full engine queue).</summary>
    public long TicksRefused => Interlocked.Read(ref _refused);

    /// <summary>The exception that ended the loop, if it did not end by being stopped.</summary>
    public Exception? Fault { get; private set; }

    protected ITickTarget Target { get; }

    protected TimeProvider Clock { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_loop is not null) throw new InvalidOperationException($"The {Name} feed is already started.");
            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            _loop = Task.Run(async () =>
            {
                try
                {
                    await RunAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    Fault = ex;
                }
            }, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            _stop?.Cancel();
        }
        if (loop is not null) await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            _stop?.Dispose();
            _stop = null;
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>The feed's loop; returns when the feed is exhausted or throws when cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Offers one tick to the target and counts it.</summary>
    protected bool Offer(in RawTick tick)
    {
        Interlocked.Increment(ref _offered);
        if (Target.Offer(tick)) return true;
        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>
    /// Offers one tick and counts it, waiting for room when the target can make the feed wait (see
    /// <see cref="IWaitingTickTarget"/>); otherwise the same as <see cref="Offer"/>.
    /// </summary>
    protected async ValueTask<bool> OfferWaitingAsync(RawTick tick, CancellationToken cancellationToken)
    {
        if (Target is not IWaitingTickTarget waiting) return Offer(tick);
        Interlocked.Increment(ref _offered);
        if (await waiting.OfferWaitingAsync(tick, cancellationToken).ConfigureAwait(false)) return true;
        Interlocked.Increment(ref _refused);
        return false;
    }

    protected long NowMs() => Clock.GetUtcNow().ToUnixTimeMilliseconds();
}
