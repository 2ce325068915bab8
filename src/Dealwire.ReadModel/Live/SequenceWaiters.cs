namespace Dealwire.ReadModel.Live;

/// <summary>Callers waiting for a projection to reach a sequence (read-your-writes).</summary>
internal sealed class SequenceWaiters
{
    private readonly object _gate = new();
    private readonly List<(long Sequence, TaskCompletionSource Waiter)> _waiters = new();
    private Exception? _failure;

    public ValueTask WaitAsync(long sequence, Func<long> current, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_failure is not null) return ValueTask.FromException(_failure);
            // Checked again under the lock: a release between the caller's check and here is not missed.
            if (current() >= sequence) return ValueTask.CompletedTask;
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, waiter));
        }
        return new ValueTask(cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task);
    }

    public void Release(long reached)
    {
        lock (_gate)
        {
            if (_waiters.Count == 0) return;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Sequence > reached) continue;
                _waiters[i].Waiter.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    public void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure = failure;
            foreach (var (_, waiter) in _waiters) waiter.TrySetException(failure);
            _waiters.Clear();
        }
    }
}
