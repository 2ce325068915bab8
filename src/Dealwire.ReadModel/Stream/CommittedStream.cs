using System.Diagnostics.Metrics;
using Dealwire.Engine.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.Stream;

/// <summary>
/// The committed stream. The journal's releasing thread calls <see cref="OnCommitted"/> for each durable batch;
/// that only stores the batch in a fixed ring (the window) and wakes waiting consumers — it never waits, so
/// neither the journal nor the engine ever waits for a consumer or a database. Each subscription runs on its
/// own task with its own position and reads the ring at its own pace. When the ring is full the oldest batch
/// is overwritten: a consumer that was still behind it has been lapped and re-reads the missing sequences
/// from the <see cref="IStreamBackfill"/> (journal + snapshots), then rejoins the ring. So a slow consumer
/// costs the others nothing, and no consumer ever skips or repeats a sequence.
/// <para>
/// A batch every consumer has read is let go once it is more than <see cref="CommittedStreamOptions.RetainSequences"/>
/// sequences old, instead of staying until the ring wraps: the window is slack for consumers that lag, not a cache.
/// Held to the wrap, every batch of a busy server lived long enough to reach the collector's oldest generation
/// (16 384 batches at 600 a second: half a minute of commands and events, 0.7 GB of heap), and the collections
/// that moved them paused commands for tens of milliseconds (docs/performance.md, "Round 2 session 13").
/// </para>
/// </summary>
public sealed class CommittedStream : ICommittedStream, ICommittedBatchSink, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly CommittedBatch?[] _ring;
    private readonly int _mask;
    private readonly long _retain;
    private readonly IStreamBackfill? _backfill;
    private readonly ILogger _logger;
    private readonly List<StreamSubscription> _subscriptions = new();
    private readonly List<Hold> _holds = new();
    private readonly Meter _meter;
    private long _published; // batches ever stored in the ring; batch i lives in _ring[i & _mask]
    private long _released; // batches before this index have been let go (their slots are empty or reused)
    private long _publishedSequence;
    private TaskCompletionSource? _signal;
    private bool _disposed;

    /// <param name="startSequence">The engine's sequence after recovery: consumers at it are at the live edge.</param>
    public CommittedStream(long startSequence, CommittedStreamOptions? options = null, IStreamBackfill? backfill = null, ILogger<CommittedStream>? logger = null)
    {
        options ??= new CommittedStreamOptions();
        options.Validate();
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)options.WindowBatches);
        _ring = new CommittedBatch?[size];
        _mask = size - 1;
        _retain = options.RetainSequences ?? 0;
        _publishedSequence = startSequence;
        _backfill = backfill;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _meter = new Meter("Dealwire.ReadModel");
        _meter.CreateObservableGauge("dealwire_stream_consumer_lag", ObserveLag, "{sequence}",
            "Sequences published to the committed stream that a consumer has not processed yet");
        _meter.CreateObservableGauge("dealwire_stream_published_sequence", () => PublishedSequence, "{sequence}",
            "Last sequence published to the committed stream");
    }

    public long PublishedSequence => Interlocked.Read(ref _publishedSequence);

    internal int WindowSize => _ring.Length;

    internal bool HasBackfill => _backfill is not null;

    /// <summary>Places held for consumers not yet subscribed (each keeps the batches after it in memory).</summary>
    internal int HoldCount
    {
        get
        {
            lock (_gate) return _holds.Count;
        }
    }

    /// <summary>Called by the journal's releasing thread, in order, once per durable batch. Never blocks.</summary>
    public void OnCommitted(CommittedBatch batch)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_disposed) return;
            if (batch.FirstSequence != _publishedSequence + 1)
            {
                // The journal guarantees contiguity; a gap here is a bug upstream, and consumers would diverge.
                throw new InvalidOperationException($"The committed stream received sequences {batch.FirstSequence}..{batch.LastSequence} after {_publishedSequence}.");
            }
            _ring[_published & _mask] = batch;
            _published++;
            _released = Math.Max(_released, _published - _ring.Length);
            Interlocked.Exchange(ref _publishedSequence, batch.LastSequence);
            wake = _signal;
            _signal = null;
        }
        // Continuations run asynchronously: waking consumers costs this thread one flag, not their work.
        wake?.TrySetResult();
    }

    public IDisposable Subscribe(string name, long afterSequence, ICommittedConsumer consumer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(consumer);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (afterSequence > _publishedSequence)
            {
                throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence,
                    $"Consumer '{name}' asks to start after sequence {afterSequence}, beyond the last committed sequence {_publishedSequence}.");
            }
            if (afterSequence < _publishedSequence && _backfill is null && !HoldsAfter(afterSequence))
            {
                throw new StreamGapException(name, afterSequence, OldestHeldSequence());
            }
            var subscription = new StreamSubscription(this, name, afterSequence, consumer, _logger);
            _subscriptions.Add(subscription);
            subscription.Start();
            return subscription;
        }
    }

    public IDisposable Hold(long afterSequence)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var hold = new Hold(this, afterSequence);
            _holds.Add(hold);
            return hold;
        }
    }

    public IReadOnlyList<StreamConsumerStatus> GetConsumers()
    {
        var published = PublishedSequence;
        lock (_gate)
        {
            return _subscriptions.Select(s => s.Status(published)).ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        StreamSubscription[] subscriptions;
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            subscriptions = _subscriptions.ToArray();
            wake = _signal;
            _signal = null;
        }
        wake?.TrySetResult();
        foreach (var subscription in subscriptions) await subscription.StopAsync().ConfigureAwait(false);
        _meter.Dispose();
    }

    internal void Remove(StreamSubscription subscription)
    {
        lock (_gate) _subscriptions.Remove(subscription);
    }

    internal void Remove(Hold hold)
    {
        lock (_gate) _holds.Remove(hold);
    }

    /// <summary>
    /// The next step of a consumer that has delivered everything through <paramref name="delivered"/> and expects
    /// the ring batch at <paramref name="index"/> next (a hint; -1 when unknown).
    /// </summary>
    internal RingRead Read(long delivered, long index)
    {
        lock (_gate)
        {
            if (_disposed) return RingRead.Closed;
            Release();
            if (delivered == _publishedSequence)
            {
                _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return RingRead.Wait(_published, _signal.Task);
            }
            if (index >= _released && index < _published && _ring[index & _mask]!.FirstSequence == delivered + 1)
            {
                return RingRead.Batch(index, _ring[index & _mask]!);
            }
            // Find the batch starting right after what was delivered; the ring is in sequence order.
            var low = _released;
            var high = _published - 1;
            while (low <= high)
            {
                var mid = low + (high - low) / 2;
                var candidate = _ring[mid & _mask]!;
                if (candidate.FirstSequence == delivered + 1) return RingRead.Batch(mid, candidate);
                if (candidate.FirstSequence <= delivered) low = mid + 1;
                else high = mid - 1;
            }
            // Not in the window (lapped, or started behind it, or mid-batch): backfill up to the first batch
            // starting after the delivered sequence, or up to the live edge when no such batch is held.
            var through = low < _published ? _ring[low & _mask]!.FirstSequence - 1 : _publishedSequence;
            return RingRead.Backfill(through);
        }
    }

    /// <summary>
    /// Lets go of the batches every subscription still reading has read, keeping the newest <see cref="_retain"/>
    /// sequences for a consumer that subscribes from a recent sequence (a faulted consumer, shown in <c>/health</c>
    /// until it is disposed, reads nothing more and holds nothing), and every batch a <see cref="Hold"/> still waits
    /// for. With no subscription nothing is let go (a first consumer may start from any sequence still held). Called
    /// under the gate; a few subscriptions, so the scan is cheap.
    /// </summary>
    private void Release()
    {
        // Nothing older than the retained tail (a consumer at the live edge asks each time): no scan.
        var keepAfter = _publishedSequence - _retain;
        if (_subscriptions.Count == 0 || _released == _published || _ring[_released & _mask]!.LastSequence > keepAfter) return;
        var slowest = long.MaxValue;
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Reading) slowest = Math.Min(slowest, subscription.Delivered);
        }
        foreach (var hold in _holds) slowest = Math.Min(slowest, hold.AfterSequence);
        var through = Math.Min(slowest, keepAfter);
        while (_released < _published && _ring[_released & _mask]!.LastSequence <= through)
        {
            _ring[_released & _mask] = null;
            _released++;
        }
    }

    private bool HoldsAfter(long afterSequence)
    {
        for (var i = _released; i < _published; i++)
        {
            if (_ring[i & _mask]!.FirstSequence == afterSequence + 1) return true;
        }
        return false;
    }

    private long OldestHeldSequence() =>
        _released == _published ? _publishedSequence + 1 : _ring[_released & _mask]!.FirstSequence;

    internal IAsyncEnumerable<CommittedBatch> Backfill(string consumer, long after, long through, CancellationToken cancellationToken)
    {
        if (_backfill is null)
        {
            long oldest;
            lock (_gate) oldest = OldestHeldSequence();
            throw new StreamGapException(consumer, after, oldest);
        }
        return _backfill.ReadAsync(after, through, cancellationToken);
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var status in GetConsumers())
        {
            yield return new Measurement<long>(status.Lag, new KeyValuePair<string, object?>("consumer", status.Name));
        }
    }
}

/// <summary>A consumer's place kept before it subscribes (see <see cref="ICommittedStream.Hold"/>).</summary>
internal sealed class Hold(CommittedStream stream, long afterSequence) : IDisposable
{
    private int _disposed;

    public long AfterSequence { get; } = afterSequence;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) stream.Remove(this);
    }
}

/// <summary>What a consumer does next: deliver a ring batch, backfill up to a sequence, wait, or stop.</summary>
internal readonly record struct RingRead(RingReadKind Kind, long Index, CommittedBatch? Item, long Through, Task? Signal)
{
    public static readonly RingRead Closed = new(RingReadKind.Closed, -1, null, 0, null);

    public static RingRead Batch(long index, CommittedBatch batch) => new(RingReadKind.Batch, index, batch, 0, null);

    public static RingRead Backfill(long through) => new(RingReadKind.Backfill, -1, null, through, null);

    public static RingRead Wait(long nextIndex, Task signal) => new(RingReadKind.Wait, nextIndex, null, 0, signal);
}

internal enum RingReadKind { Batch, Backfill, Wait, Closed }
