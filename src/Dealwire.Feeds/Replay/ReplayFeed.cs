namespace Dealwire.Feeds.Replay;

/// <summary>Plays a <see cref="ReplayTape"/> back at its recorded pace (scaled by the speed), once or in a loop.</summary>
public sealed class ReplayFeed : BackgroundFeed
{
    private readonly ReplayFeedOptions _options;
    private readonly Func<bool>? _readersBehind;

    /// <param name="readersBehind">
    /// At speed 0, the replay waits while this says the quote readers are behind: as fast as possible then means as fast
    /// as quotes are delivered, not ticks produced only to be conflated away in every reader's queue. Null: never waits.
    /// </param>
    public ReplayFeed(ReplayTape tape, ReplayFeedOptions options, ITickTarget target, TimeProvider clock, Func<bool>? readersBehind = null)
        : base(target, clock)
    {
        _readersBehind = readersBehind;
        if (tape.Ticks.Count == 0) throw new ArgumentException("The replay file holds no valid tick.", nameof(tape));
        if (!(options.ReplaySpeed >= 0) || double.IsInfinity(options.ReplaySpeed))
        {
            throw new ArgumentException("Feed:ReplaySpeed must be 0 (as fast as possible) or a positive factor.", nameof(options));
        }
        Tape = tape;
        _options = options;
    }

    public override string Name => "replay";

    public ReplayTape Tape { get; }

    /// <summary>Completed passes over the tape.</summary>
    public int Passes { get; private set; }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var ticks = Tape.Ticks;
        var first = ticks[0].Time;
        // Each pass continues the recorded timeline: the next pass starts one average gap after the last tick.
        var passLength = ticks[^1].Time - first + Math.Max(1, (ticks[^1].Time - first) / Math.Max(1, ticks.Count - 1));
        var speed = _options.ReplaySpeed;
        var startedAt = NowMs();
        var started = Clock.GetTimestamp();
        long lastTime = 0;

        for (long offset = 0; ; offset += passLength)
        {
            foreach (var recorded in ticks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sinceStart = recorded.Time - first + offset;
                long time;
                if (speed > 0)
                {
                    var dueMs = sinceStart / speed;
                    var wait = dueMs - Clock.GetElapsedTime(started).TotalMilliseconds;
                    if (wait >= 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), Clock, cancellationToken).ConfigureAwait(false);
                    time = startedAt + (long)dueMs;
                }
                else
                {
                    if (_readersBehind is not null)
                    {
                        while (_readersBehind()) await Task.Delay(TimeSpan.FromMilliseconds(1), Clock, cancellationToken).ConfigureAwait(false);
                    }
                    time = Math.Max(NowMs(), lastTime);
                }
                lastTime = time;
                var tick = _options.ReplayRebaseTime ? recorded with { Time = time } : recorded;
                // As fast as possible means as fast as the engine takes them: wait for room rather than spin and drop.
                if (speed > 0) Offer(tick);
                else await OfferWaitingAsync(tick, cancellationToken).ConfigureAwait(false);
            }
            Passes++;
            if (!_options.ReplayLoop) return;
        }
    }
}
