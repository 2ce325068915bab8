using System.Collections.Concurrent;

namespace Dealwire.Feeds.Sources;

/// <summary>What the arbiter did with a tick.</summary>
public enum ArbiterVerdict
{
    /// <summary>From the symbol's active source: passed on to the quote filter.</summary>
    Active,
    /// <summary>From a standby source while the active one is fresh: dropped.</summary>
    Standby,
}

/// <summary>
/// Chooses, per symbol, which source's ticks reach the engine: the preferred (lowest priority number) source
/// that is alive. A backup's tick takes the symbol over when the active source is disconnected or has sent
/// nothing for the symbol for <see cref="StaleAfter"/>; a tick from a source preferred over the active one
/// takes it back at once. Staleness is judged when a standby tick arrives, so outside the symbol's session
/// (no source ticks) nothing switches. Wall-clock time is read here, outside the engine: the engine only
/// sees the ticks that won, journaled like any other, so a replay does not depend on these choices.
/// </summary>
public sealed class SourceArbiter(TimeSpan staleAfter, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, SymbolLease> _symbols = new(StringComparer.Ordinal);
    private long _switches;

    public TimeSpan StaleAfter { get; } = staleAfter;

    /// <summary>Times a symbol changed its active source (failovers and failbacks).</summary>
    public long Switches => Interlocked.Read(ref _switches);

    /// <summary>The source currently active for <paramref name="symbol"/>, or null before its first tick.</summary>
    public FeedSource? ActiveFor(string symbol) => _symbols.TryGetValue(symbol, out var lease) ? lease.Active : null;

    /// <summary>Decides whether <paramref name="source"/>'s tick of <paramref name="symbol"/> goes on to the engine.</summary>
    public ArbiterVerdict Arbitrate(FeedSource source, string symbol)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        source.MarkTick(now);
        var lease = _symbols.GetOrAdd(symbol, static _ => new SymbolLease());
        lock (lease)
        {
            var active = lease.Active;
            if (active is null || ReferenceEquals(active, source))
            {
                lease.Take(source, now);
                return ArbiterVerdict.Active;
            }
            var takesOver = source.Priority < active.Priority
                || !active.Connected
                || now - lease.ActiveTickAt > (long)StaleAfter.TotalMilliseconds;
            if (!takesOver)
            {
                source.CountStandby();
                return ArbiterVerdict.Standby;
            }
            lease.Take(source, now);
            Interlocked.Increment(ref _switches);
            return ArbiterVerdict.Active;
        }
    }

    private sealed class SymbolLease
    {
        public FeedSource? Active;
        public long ActiveTickAt;

        public void Take(FeedSource source, long now)
        {
            Active = source;
            ActiveTickAt = now;
        }
    }
}
