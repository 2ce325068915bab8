using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Stream;

namespace Dealwire.ReadModel.Tests.Stream;

/// <summary>Batches of bare sequence ranges: the stream never looks inside a batch, so these are enough for its rules.</summary>
internal static class Batches
{
    public static CommittedBatch Range(long first, long last) => new(first, last, Array.Empty<EngineCommand>(), Array.Empty<EngineEvent>());

    /// <summary>Publishes <paramref name="count"/> batches of <paramref name="size"/> sequences after <paramref name="after"/>; returns the last sequence.</summary>
    public static long Publish(CommittedStream stream, long after, int count, int size = 1)
    {
        for (var i = 0; i < count; i++)
        {
            stream.OnCommitted(Range(after + 1, after + size));
            after += size;
        }
        return after;
    }
}

/// <summary>Records what it receives and lets a test wait for a sequence; optionally held at a gate.</summary>
internal sealed class RecordingConsumer : ICommittedConsumer
{
    private readonly object _gate = new();
    private readonly List<(long First, long Last)> _received = new();
    private readonly List<(long Sequence, TaskCompletionSource Waiter)> _waiters = new();

    /// <summary>While set, each batch waits for it before it counts as received (a slow consumer).</summary>
    public SemaphoreSlim? Hold { get; init; }

    public IReadOnlyList<(long First, long Last)> Received
    {
        get { lock (_gate) return _received.ToArray(); }
    }

    public long Last
    {
        get { lock (_gate) return _received.Count == 0 ? 0 : _received[^1].Last; }
    }

    /// <summary>Why the subscription stopped by itself, as the consumer heard it (null: it did not).</summary>
    public Exception? Stopped { get; private set; }

    public void OnStopped(Exception error) => Stopped = Stopped is null ? error : throw new InvalidOperationException("told twice that it stopped");

    public async ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken)
    {
        if (Hold is not null) await Hold.WaitAsync(cancellationToken);
        lock (_gate)
        {
            _received.Add((batch.FirstSequence, batch.LastSequence));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Sequence > batch.LastSequence) continue;
                _waiters[i].Waiter.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    public Task WaitForAsync(long sequence)
    {
        lock (_gate)
        {
            if (Last >= sequence) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, waiter));
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Every sequence from <paramref name="after"/> + 1 to <paramref name="through"/> exactly once, in order.</summary>
    public void AssertContiguous(long after, long through)
    {
        var expected = after + 1;
        foreach (var (first, last) in Received)
        {
            Assert.Equal(expected, first);
            Assert.True(last >= first);
            expected = last + 1;
        }
        Assert.Equal(through + 1, expected);
    }
}

/// <summary>
/// A backfill over a list of "journaled" sequences: cuts batches of its own size (not the live ones), so the seam
/// between backfill and live batches is exercised at arbitrary boundaries. Counts its reads.
/// </summary>
internal sealed class SequenceBackfill(int batchSize) : IStreamBackfill
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public async IAsyncEnumerable<CommittedBatch> ReadAsync(long afterSequence, long throughSequence,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        for (var first = afterSequence + 1; first <= throughSequence; first += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return Batches.Range(first, Math.Min(first + batchSize - 1, throughSequence));
        }
    }
}

/// <summary>A consumer that throws at a chosen sequence.</summary>
internal sealed class FailingConsumer(long failAt) : ICommittedConsumer
{
    public ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken) =>
        batch.LastSequence >= failAt ? throw new InvalidOperationException("projection broke") : ValueTask.CompletedTask;
}

