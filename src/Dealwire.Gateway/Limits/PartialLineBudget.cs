namespace Dealwire.Gateway.Limits;

/// <summary>
/// The bytes a listener lets its connections hold in lines not yet complete, summed over all of them.
/// A per-line limit alone still lets every connection park one maximal line (20 000 × 1 MiB); this budget
/// bounds the total, so unauthenticated clients cannot turn receive buffers into memory pressure.
/// Each connection reports the size of its pending partial line through its own <see cref="Holding"/>.
/// </summary>
public sealed class PartialLineBudget(long capacity)
{
    private long _held;
    private long _refused;

    public long Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Bytes currently held by all connections (monitoring and tests).</summary>
    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>Times a connection was refused more room (and closed).</summary>
    public long Refusals => Interlocked.Read(ref _refused);

    /// <summary>A connection's share; dispose it when the connection ends so its bytes return to the budget.</summary>
    public Holding Open() => new(this);

    private bool TryAdd(long delta)
    {
        if (BoundedCounter.TryAdd(ref _held, delta, Capacity)) return true;
        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>What one connection holds of the budget. Used by that connection's read loop only.</summary>
    public sealed class Holding : IDisposable
    {
        private readonly PartialLineBudget _budget;

        internal Holding(PartialLineBudget budget) => _budget = budget;

        public long Bytes { get; private set; }

        /// <summary>The listener's whole budget (what a refusal names).</summary>
        public long Limit => _budget.Capacity;

        /// <summary>Sets the size of the connection's partial line; false (nothing changed) when the budget has no room for it.</summary>
        public bool TryHold(long bytes)
        {
            if (bytes == Bytes) return true;
            if (!_budget.TryAdd(bytes - Bytes)) return false;
            Bytes = bytes;
            return true;
        }

        public void Dispose() => TryHold(0);
    }
}
