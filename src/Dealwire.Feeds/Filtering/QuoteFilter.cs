using System.Collections.Concurrent;

namespace Dealwire.Feeds.Filtering;

/// <summary>Why the filter let a tick through or not.</summary>
public enum QuoteVerdict { Accepted, NonPositive, Crossed, Stale, Spike }

/// <summary>How many ticks the filter accepted and refused, by reason.</summary>
public readonly record struct QuoteFilterCounters(long Accepted, long NonPositive, long Crossed, long Stale, long Spike)
{
    public long Rejected => NonPositive + Crossed + Stale + Spike;
}

/// <summary>
/// Guards the engine from bad feed prices: non-positive and crossed quotes, stale quotes (older than the
/// last accepted one of the symbol, or too far behind the wall clock) and spikes (a jump beyond
/// <see cref="QuoteFilterOptions.MaxJumpPercent"/> that the following ticks do not confirm).
/// Safe for several feeds at once: state is per symbol, each under its own lock.
/// </summary>
public sealed class QuoteFilter(QuoteFilterOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    // Indexed by QuoteVerdict.
    private readonly long[] _counts = new long[Enum.GetValues<QuoteVerdict>().Length];

    public QuoteFilterOptions Options => options;

    public QuoteFilterCounters Counters => new(
        Count(QuoteVerdict.Accepted), Count(QuoteVerdict.NonPositive), Count(QuoteVerdict.Crossed),
        Count(QuoteVerdict.Stale), Count(QuoteVerdict.Spike));

    public QuoteVerdict Check(in RawTick tick)
    {
        var verdict = Evaluate(tick);
        Interlocked.Increment(ref _counts[(int)verdict]);
        return verdict;
    }

    private long Count(QuoteVerdict verdict) => Interlocked.Read(ref _counts[(int)verdict]);

    private QuoteVerdict Evaluate(in RawTick tick)
    {
        if (!options.Enabled) return QuoteVerdict.Accepted;
        if (tick.Bid <= 0 || tick.Ask <= 0) return QuoteVerdict.NonPositive;
        if (tick.Bid > tick.Ask) return QuoteVerdict.Crossed;
        if (options.MaxQuoteAgeMs > 0 && clock.GetUtcNow().ToUnixTimeMilliseconds() - tick.Time > options.MaxQuoteAgeMs)
        {
            return QuoteVerdict.Stale;
        }

        var state = _symbols.GetOrAdd(tick.Symbol, static _ => new SymbolState());
        var mid = (tick.Bid + tick.Ask) / 2m;
        lock (state)
        {
            if (state.LastMid == 0)
            {
                state.Accept(mid, tick.Time);
                return QuoteVerdict.Accepted;
            }
            if (tick.Time < state.LastTime) return QuoteVerdict.Stale;
            if (options.ConfirmTicks <= 1 || !IsJump(state.LastMid, mid))
            {
                state.Accept(mid, tick.Time);
                return QuoteVerdict.Accepted;
            }

            // A jump: count how many consecutive ticks stand at the new level before believing it.
            state.SuspectCount = state.SuspectCount > 0 && !IsJump(state.SuspectMid, mid) ? state.SuspectCount + 1 : 1;
            state.SuspectMid = mid;
            if (state.SuspectCount < options.ConfirmTicks) return QuoteVerdict.Spike;
            state.Accept(mid, tick.Time);
            return QuoteVerdict.Accepted;
        }
    }

    private bool IsJump(decimal from, decimal to) => Math.Abs(to - from) * 100m > from * options.MaxJumpPercent;

    private sealed class SymbolState
    {
        public decimal LastMid;
        public long LastTime;
        public decimal SuspectMid;
        public int SuspectCount;

        public void Accept(decimal mid, long time)
        {
            LastMid = mid;
            LastTime = time;
            SuspectCount = 0;
        }
    }
}
