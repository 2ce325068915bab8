using System.Diagnostics;
using System.Threading.Channels;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.History;

/// <summary>
/// Feeds the history store from the committed stream. Batches queue in a bounded channel that only this projector's
/// subscription waits on (never the engine); one writer task folds whatever has queued into one transaction with the
/// applied sequence, at most once per <see cref="HistoryOptions.CommitInterval"/> unless a reader waits for it. A
/// database error is retried with backoff from the sequence the database says it holds, so a restart or an outage
/// ends with every command applied exactly once.
/// </summary>
public sealed class HistoryProjector : ICommittedConsumer, IAsyncDisposable
{
    public const string SubscriptionName = "history";

    private readonly IHistoryStore _store;
    private readonly ICommittedStream _stream;
    private readonly HistoryOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private Channel<CommittedBatch> _queue;
    private IDisposable? _subscription;
    private IDisposable? _startHold;
    private Task? _loop;
    private ProjectorThread? _thread;
    private readonly long _startSequence;
    private long _queued;
    private TaskCompletionSource? _transactionFull;
    private long _lastWrite;
    private volatile string? _lastError;
    private readonly TaskCompletionSource<string> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HistoryProjector(IHistoryStore store, ICommittedStream stream, HistoryOptions options, ILogger<HistoryProjector> logger)
    {
        _store = store;
        _stream = stream;
        _options = options;
        _logger = logger;
        _queue = NewQueue();
        // Built before the engine runs: what is committed while the database opens stays in the stream for the first
        // subscription (a server without a journal has no backfill to read it from).
        _startSequence = stream.PublishedSequence;
        _startHold = stream.Hold(_startSequence);
        HistoryMetrics.Register(this);
    }

    public IHistoryReader Reader => _store;

    /// <summary>Stream sequences published but not yet in the database.</summary>
    public long Lag => Math.Max(0, _stream.PublishedSequence - _store.AppliedSequence);

    /// <summary>The last write error while the projector is retrying; null when healthy.</summary>
    public string? LastError => _lastError;

    /// <summary>True once the store is open and the subscription runs.</summary>
    public bool Running { get; private set; }

    /// <summary>
    /// Completes, with the reason, when the projector stops for good (the stream cannot give the store what it lacks, or
    /// the store is another server's): nothing more is written until <c>dealwire history rebuild</c>. Never completes
    /// while it opens the database or retries a write.
    /// </summary>
    public Task<string> Stopped => _stopped.Task;

    /// <summary>
    /// Starts in the background, on a thread of its own (<see cref="ProjectorThread"/>): the server does not wait for the
    /// database (it may be down), and the database's waits never hold a thread-pool worker.
    /// </summary>
    public void Start()
    {
        if (_loop is not null) return;
        _thread = new ProjectorThread("dealwire-history");
        _loop = _thread.Start(() => RunAsync(_stop.Token));
    }

    public async ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken)
    {
        // Drop what is already queued or stored (a resumed subscription may start inside a batch).
        var trimmed = Trim(batch, Math.Max(Volatile.Read(ref _queued), _store.AppliedSequence));
        if (trimmed is null) return;
        await _queue.Writer.WriteAsync(trimmed, cancellationToken);
        Volatile.Write(ref _queued, trimmed.LastSequence);
        // A full transaction's worth ends the gathering at once, also when it fills up while the projector waits.
        if (IsTransactionFull(trimmed.LastSequence)) Volatile.Read(ref _transactionFull)?.TrySetResult();
    }

    /// <summary>
    /// The subscription stopped by itself while the projector ran (lapped with no backfill to read the gap from, or a
    /// journal that lacks it): the queue ends with that error, so what it holds is still written and the projector
    /// then stops with the reason, as when it cannot catch up at start, rather than keep <see cref="Running"/> and wait
    /// on a queue nothing fills any more.
    /// </summary>
    public void OnStopped(Exception error) => _queue.Writer.TryComplete(error);

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await FollowAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The stream cannot give this store what it lacks (no journal to backfill from, or a gap behind the window):
            // nothing more is written, and /health (history.error) and the log say why instead of a silent stop. The
            // stream keeps nothing more for it: a place still held would keep every batch from then on in memory.
            LetGoOfStream();
            Running = false;
            _lastError = $"stopped: {ex.Message}";
            HistoryMetrics.Errors.Add(1);
            _logger.LogError(ex, "History projector stopped at stored sequence {Sequence}: {Error}", _store.AppliedSequence, ex.Message);
            _stopped.TrySetResult(ex.Message);
        }
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        await RetryAsync(async () => await _store.OpenAsync(ct), "open", ct);
        // The store can only hold what this server's journal published, so at most the sequence the engine recovered to.
        // Past it, the store holds commands this engine never ran (another server's store, a journal restored from an
        // older backup, or a tail lost by a crash under Durability None): following would skip this server's commands
        // up to there and put the two histories in one store.
        if (_store.LeadingSequence > _startSequence)
        {
            throw new InvalidOperationException($"the history store is at sequence {_store.LeadingSequence}, ahead of this server's journal " +
                $"(sequence {_startSequence}): it holds commands this server never ran. Point History:ConnectionString at this server's own store, " +
                "or run dealwire history rebuild");
        }
        Subscribe();
        Running = true;
        var pending = new List<CommittedBatch>();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var queue = _queue;
                if (!await queue.Reader.WaitToReadAsync(ct)) continue;
                await GatherAsync(ct);
                _lastWrite = Stopwatch.GetTimestamp();
                int commands = 0;
                while (commands < _options.MaxBatchCommands && queue.Reader.TryRead(out var b))
                {
                    pending.Add(b);
                    commands += b.Commands.Count;
                }
                await WriteAsync(pending, ct);
                pending.Clear();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Lets the batches that arrive within <see cref="HistoryOptions.CommitInterval"/> of the previous transaction's
    /// start share the next one, unless a reader waits for its write or a full transaction's worth has queued.
    /// </summary>
    private async ValueTask GatherAsync(CancellationToken ct)
    {
        var wait = _options.CommitInterval - Stopwatch.GetElapsedTime(_lastWrite);
        if (wait <= TimeSpan.Zero) return;
        // The signal is in place before the count is read: a batch queued meanwhile is either counted here or signals.
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _transactionFull, full);
        if (IsTransactionFull(Volatile.Read(ref _queued))) return;
        var reader = _store.ReaderArrival;
        if (reader.IsCompleted) return;
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(reader, full.Task, Task.Delay(wait, cut.Token));
        // Cut short: the interval's timer goes now rather than when it would have fired.
        await cut.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Whether the commands queued up to <paramref name="queued"/> fill a transaction (<see cref="HistoryOptions.MaxBatchCommands"/>).</summary>
    private bool IsTransactionFull(long queued) => queued - _store.AppliedSequence >= _options.MaxBatchCommands;

    private async Task WriteAsync(List<CommittedBatch> pending, CancellationToken ct)
    {
        var delay = _options.RetryMin;
        while (true)
        {
            try
            {
                var applied = _store.AppliedSequence;
                // A crash between the store's lanes' commits left one ahead: this run ends where it stands, so the
                // lane behind catches up and the other skips the run whole; the rest goes in the next turn.
                var leading = _store.LeadingSequence;
                var through = leading > applied ? leading : long.MaxValue;
                var changes = HistoryChanges.From(pending.Select(b => Slice(b, applied, through)).OfType<CommittedBatch>());
                if (changes.IsEmpty) return;
                await _store.ApplyAsync(changes, ct);
                HistoryMetrics.Applied.Add(changes.Commands);
                HistoryMetrics.Transactions.Add(1);
                _lastError = null;
                if (through < long.MaxValue) continue;
                return;
            }
            catch (HistorySequenceException gap) when (gap.Stored < pending[0].FirstSequence - 1)
            {
                // The store is behind what was queued (restored from an older backup, or emptied): start over from it.
                _logger.LogWarning("History store is at sequence {Stored}, behind the queued {First}; resubscribing", gap.Stored, pending[0].FirstSequence);
                pending.Clear();
                Subscribe();
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _lastError = ex.Message;
                HistoryMetrics.Errors.Add(1);
                _logger.LogWarning("History write failed ({Error}); retrying in {Delay} ms", ex.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMax.Ticks));
                // The commit may have landed before the connection broke: ask the database where it is.
                try { await _store.ReadAppliedSequenceAsync(ct); } catch (Exception) when (!ct.IsCancellationRequested) { }
            }
        }
    }

    private void Subscribe()
    {
        _subscription?.Dispose();
        _queue = NewQueue();
        Volatile.Write(ref _queued, _store.AppliedSequence);
        _subscription = _stream.Subscribe(SubscriptionName, _store.AppliedSequence, this);
        _startHold?.Dispose();
        _startHold = null;
    }

    private async Task RetryAsync(Func<Task> action, string what, CancellationToken ct)
    {
        var delay = _options.RetryMin;
        while (true)
        {
            try
            {
                await action();
                _lastError = null;
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _lastError = ex.Message;
                HistoryMetrics.Errors.Add(1);
                _logger.LogWarning("History store {What} failed ({Error}); retrying in {Delay} ms", what, ex.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMax.Ticks));
            }
        }
    }

    private Channel<CommittedBatch> NewQueue() => Channel.CreateBounded<CommittedBatch>(new BoundedChannelOptions(_options.QueueCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The part of <paramref name="batch"/> after sequence <paramref name="after"/>, or null when nothing is left.</summary>
    public static CommittedBatch? Trim(CommittedBatch batch, long after) => Slice(batch, after, long.MaxValue);

    /// <summary>
    /// The part of <paramref name="batch"/> in (<paramref name="after"/>, <paramref name="through"/>], or null when nothing
    /// is left: the batch itself when it lies inside.
    /// </summary>
    public static CommittedBatch? Slice(CommittedBatch batch, long after, long through)
    {
        if (batch.LastSequence <= after || batch.FirstSequence > through) return null;
        if (batch.FirstSequence > after && batch.LastSequence <= through) return batch;
        bool Inside(long sequence) => sequence > after && sequence <= through;
        return new CommittedBatch(Math.Max(batch.FirstSequence, after + 1), Math.Min(batch.LastSequence, through),
            batch.Commands.Where(c => Inside(c.Sequence)).ToList(), batch.Events.Where(e => Inside(e.Sequence)).ToList());
    }

    /// <summary>Ends the subscription and the place held since start: the stream keeps no batch for this projector any more.</summary>
    private void LetGoOfStream()
    {
        _subscription?.Dispose();
        _startHold?.Dispose();
        _startHold = null;
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the host's stop and the container's disposal both end the projector.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        HistoryMetrics.Unregister(this);
        LetGoOfStream();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try { await _loop; } catch (OperationCanceledException) { }
        }
        _thread?.Dispose();
        _stop.Dispose();
    }
}
