namespace Dealwire.Engine.Runtime;

/// <summary>
/// The results this engine computed for commands it applied from the committed log, kept for a while by sequence. A
/// gateway node forwards a command to the leader, learns its sequence from the leader's reply, and answers its client
/// with the value its own engine produced at that sequence (the engine is deterministic, so it is the leader's value),
/// once that batch is durable here and published to this node's projections: read-your-writes by construction.
/// </summary>
public sealed class ReplicatedOutcomes
{
    private readonly object _gate = new();
    private readonly Dictionary<long, object> _values = new();
    private readonly Queue<long> _order = new();
    private readonly SortedDictionary<long, List<TaskCompletionSource<object?>>> _waiters = new();
    private readonly int _capacity;
    private long _released;

    /// <param name="capacity">Values kept (oldest dropped first): ample for the seconds between a leader's reply and this node applying it.</param>
    public ReplicatedOutcomes(int capacity = 65_536) => _capacity = capacity;

    /// <summary>The last sequence released here (durable and published).</summary>
    public long Released => Interlocked.Read(ref _released);

    /// <summary>Where a recovered engine starts: everything at or below is already durable.</summary>
    public void Start(long sequence)
    {
        lock (_gate) _released = Math.Max(_released, sequence);
    }

    /// <summary>
    /// Completes with the value the engine produced for <paramref name="sequence"/> once it is released here; null when the
    /// command produced none (or it was released so long ago that it is no longer kept).
    /// </summary>
    public Task<object?> WaitAsync(long sequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (sequence <= _released) return Task.FromResult(_values.GetValueOrDefault(sequence));
            var waiter = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiters.TryGetValue(sequence, out var list)) _waiters[sequence] = list = [];
            list.Add(waiter);
            // A caller that gives up stops waiting; its waiter stays until the sequence is released (no registration to undo).
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Called when a replicated batch is durable: its values become visible and waiters up to its end complete.</summary>
    internal void Release(IReadOnlyList<(long Sequence, object Value)> values, long through)
    {
        List<(TaskCompletionSource<object?> Waiter, object? Value)>? due = null;
        lock (_gate)
        {
            foreach (var (sequence, value) in values)
            {
                _values[sequence] = value;
                _order.Enqueue(sequence);
            }
            while (_order.Count > _capacity) _values.Remove(_order.Dequeue());
            if (through > _released) _released = through;
            while (_waiters.Count > 0)
            {
                var (sequence, list) = _waiters.First();
                if (sequence > _released) break;
                _waiters.Remove(sequence);
                var value = _values.GetValueOrDefault(sequence);
                (due ??= []).AddRange(list.Select(w => (w, (object?)value)));
            }
        }
        if (due is null) return;
        foreach (var (waiter, value) in due) waiter.TrySetResult(value);
    }
}
