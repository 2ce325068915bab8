namespace Dealwire.Feeds.Synthetic;

/// <summary>
/// The embedded default feed: every instrument ticks <see cref="SyntheticFeedOptions.TicksPerSecondPerSymbol"/>
/// times a second along a <see cref="RandomWalk"/>. Ticks are paced by elapsed time, not by timer
/// wake-ups, so high rates come out right even though a wake-up happens at most once per millisecond.
/// </summary>
public sealed class SyntheticFeed : BackgroundFeed
{
    private readonly SyntheticFeedOptions _options;
    private readonly RandomWalk _walk;
    private long _lastTime;

    public SyntheticFeed(SyntheticFeedOptions options, ITickTarget target, TimeProvider clock)
        : base(target, clock)
    {
        if (!(options.TicksPerSecondPerSymbol > 0) || double.IsInfinity(options.TicksPerSecondPerSymbol))
        {
            throw new ArgumentException("Feed:TicksPerSecondPerSymbol must be a positive number.", nameof(options));
        }
        _options = options;
        var instruments = options.Instruments.Count > 0 ? options.Instruments : SyntheticInstrument.Demo;
        _walk = new RandomWalk(instruments, options.Seed, options.MeanReversion);
    }

    public override string Name => "synthetic";

    public IReadOnlyList<SyntheticInstrument> Instruments => _walk.Instruments;

    /// <summary>Ticks every instrument once, all stamped with the same time (never earlier than the previous round).</summary>
    public void EmitRound()
    {
        var now = Math.Max(NowMs(), _lastTime);
        _lastTime = now;
        for (var i = 0; i < _walk.Count; i++) Offer(_walk.Next(i, now));
    }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var rate = _options.TicksPerSecondPerSymbol;
        var interval = TimeSpan.FromSeconds(Math.Max(1.0 / rate, 0.001));
        // After a stall (GC, suspended VM) catch up at most one second's worth instead of bursting.
        var maxCatchUp = (long)Math.Max(1, Math.Ceiling(rate));
        var started = Clock.GetTimestamp();
        long emitted = 0;

        EmitRound();
        emitted++;
        using var timer = new PeriodicTimer(interval, Clock);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var due = (long)(Clock.GetElapsedTime(started).TotalSeconds * rate) + 1;
            if (due - emitted > maxCatchUp) emitted = due - maxCatchUp;
            while (emitted < due && !cancellationToken.IsCancellationRequested)
            {
                EmitRound();
                emitted++;
            }
        }
    }
}
