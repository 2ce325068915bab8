using Dealwire.Engine.Runtime;
using System.Diagnostics;
using Dealwire.Persistence.Diagnostics;
using Dealwire.Persistence.IO;
using Microsoft.Extensions.Logging;

namespace Dealwire.Persistence.Journal;

/// <summary>Counters of a <see cref="JournalWriter"/>, for monitoring and benchmarks.</summary>
public readonly record struct JournalStatistics(long Batches, long Commands, long Writes, long Syncs, long Bytes, long Segments);

/// <summary>
/// The command journal with group commit. <see cref="Append"/> runs on the engine thread and only queues
/// the batch; a dedicated flusher thread encodes everything queued, writes it in one system call, fsyncs
/// once (per <see cref="DurabilityMode"/>), and then releases the batches in order, so replies and events
/// leave only after their commands are durable. Batches that arrive while an fsync runs are coalesced
/// into the next write. After a write or fsync failure every pending and later batch fails, and
/// <see cref="Faulted"/> fires: the engine's memory is then ahead of the disk, so the host must stop it.
/// </summary>
public sealed class JournalWriter : ICommandJournal, IDisposable
{
    private readonly string _directory;
    private readonly DurabilityOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly RecordBuffer _buffer = new(256 * 1024);
    private readonly List<(long Sequence, TaskCompletionSource Waiter)> _waiters = new();
    private readonly Thread _flusher;
    private List<JournalEntry> _pending = new();
    private int _pendingCommands;
    private int _lastCycleCommands;
    private JournalSegment _segment;
    private long _segmentFirstSequence;
    private long _lastWritten;
    private long _durableSequence;
    private volatile Exception? _fault;
    private bool _closing;
    private long _batches, _commands, _writes, _syncs, _bytes, _segments;

    /// <summary>Fault injection for tests: runs on the flusher right before each write.</summary>
    internal Action? BeforeWrite { get; set; }

    /// <summary>
    /// Opens the journal for appending after <paramref name="lastSequence"/>: continues
    /// <paramref name="appendTo"/> (an intact last segment of <paramref name="appendLength"/> valid bytes)
    /// or starts a new segment.
    /// </summary>
    internal JournalWriter(string directory, long lastSequence, SegmentFile? appendTo, long appendLength, DurabilityOptions options, ILogger logger)
    {
        options.Validate();
        _directory = directory;
        _options = options;
        _logger = logger;
        _lastWritten = lastSequence;
        _durableSequence = lastSequence;
        Directory.CreateDirectory(directory);
        if (appendTo is not null)
        {
            // A segment keeps the codec it was created with; the next segment gets this build's codec.
            _segment = JournalSegment.Open(appendTo, appendLength, options.Mode, options.SegmentSizeBytes);
            _segmentFirstSequence = appendTo.FirstSequence;
        }
        else
        {
            _segment = CreateSegment(lastSequence + 1);
        }
        JournalMetrics.Observe(this);
        _flusher = new Thread(FlushLoop) { Name = "dealwire-journal", IsBackground = true, Priority = ThreadPriority.AboveNormal };
        _flusher.Start();
    }

    public DurabilityMode Mode => _options.Mode;

    /// <summary>Highest sequence that is as durable as <see cref="Mode"/> promises (written; fsync'd in Fsync mode).</summary>
    public long DurableSequence => Interlocked.Read(ref _durableSequence);

    /// <summary>The error that stopped the journal, or null while it works.</summary>
    public Exception? Fault => _fault;

    /// <summary>Raised once, on the flusher thread, when a write or fsync fails. The host must stop the engine.</summary>
    public event Action<Exception>? Faulted;

    public string JournalDirectory => _directory;

    /// <summary>First sequence of the segment being written (never retired).</summary>
    public long ActiveSegmentFirstSequence => Interlocked.Read(ref _segmentFirstSequence);

    /// <summary>Commands queued and not yet taken by the flusher (monitoring).</summary>
    public int QueuedCommands => Volatile.Read(ref _pendingCommands);

    public JournalStatistics Statistics => new(
        Interlocked.Read(ref _batches), Interlocked.Read(ref _commands), Interlocked.Read(ref _writes),
        Interlocked.Read(ref _syncs), Interlocked.Read(ref _bytes), Interlocked.Read(ref _segments));

    /// <summary>Called by the runner on the engine thread: queues the batch and returns at once.</summary>
    public void Append(CommitBatch batch) => Enqueue(new CommitBatchEntry(batch));

    internal void Enqueue(JournalEntry entry)
    {
        if (_fault is { } fault)
        {
            entry.Fail(new IOException("The journal has failed; the engine must be stopped.", fault));
            return;
        }
        // In None mode the reply does not wait for the disk at all; the write still happens behind it.
        if (_options.Mode == DurabilityMode.None) SafeRelease(entry);
        lock (_gate)
        {
            // Back-pressure: the caller (the engine thread) waits while the disk is this far behind.
            while (_pendingCommands >= _options.MaxQueuedCommands && !_closing && _fault is null) Monitor.Wait(_gate);
            if (_closing)
            {
                entry.Fail(new ObjectDisposedException(nameof(JournalWriter), "The journal is closed."));
                return;
            }
            _pending.Add(entry);
            _pendingCommands += entry.Commands.Count;
            if (_pending.Count == 1) Monitor.Pulse(_gate);
        }
    }

    /// <summary>Completes when every command up to <paramref name="sequence"/> is durable; faults if the journal fails first.</summary>
    public Task WaitForDurableAsync(long sequence, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_fault is { } fault) return Task.FromException(new IOException("The journal has failed.", fault));
            if (Interlocked.Read(ref _durableSequence) >= sequence) return Task.CompletedTask;
            if (_closing) return Task.FromException(new ObjectDisposedException(nameof(JournalWriter), $"The journal closed before sequence {sequence} was written."));
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, waiter));
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Drains what is queued, fsyncs and closes the segment. Batches appended later fail.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing) return;
            _closing = true;
            Monitor.PulseAll(_gate);
        }
        _flusher.Join();
        try
        {
            if (_fault is null) _segment.Close(sync: _options.Mode == DurabilityMode.Fsync);
        }
        finally
        {
            _segment.Dispose();
        }
    }

    private void FlushLoop()
    {
        var work = new List<JournalEntry>();
        while (true)
        {
            lock (_gate)
            {
                while (_pending.Count == 0 && !_closing) Monitor.Wait(_gate);
                if (_pending.Count == 0)
                {
                    FailWaiters(new ObjectDisposedException(nameof(JournalWriter), "The journal closed."));
                    return;
                }
            }
            AwaitStragglers();
            lock (_gate)
            {
                (work, _pending) = (_pending, work);
                _lastCycleCommands = _pendingCommands;
                _pendingCommands = 0;
                Monitor.PulseAll(_gate); // room again for an engine thread held by back-pressure
            }
            Process(work);
            work.Clear();
        }
    }

    /// <summary>
    /// Group-commit window: when the previous write carried several commands but fewer are queued now, the
    /// callers just released are probably still on their way back; waiting up to
    /// <see cref="DurabilityOptions.GroupCommitWindow"/> for them lets one fsync carry them all instead of two.
    /// </summary>
    private void AwaitStragglers()
    {
        var window = _options.GroupCommitWindow;
        if (window <= TimeSpan.Zero || _options.Mode != DurabilityMode.Fsync || _lastCycleCommands <= 1) return;
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (Volatile.Read(ref _pendingCommands) < _lastCycleCommands && !Volatile.Read(ref _closing) && System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Yield(); // lets the engine thread and the callers run on a small machine
        }
    }

    private void Process(List<JournalEntry> work)
    {
        if (_fault is { } earlier)
        {
            foreach (var entry in work) entry.Fail(new IOException("The journal has failed; the engine must be stopped.", earlier));
            return;
        }
        long last;
        long writeStarted = 0, writeEnded = 0, syncEnded = 0;
        try
        {
            last = Encode(work);
            if (last > _lastWritten)
            {
                BeforeWrite?.Invoke();
                writeStarted = Stopwatch.GetTimestamp();
                _segment.Write(_buffer.Written);
                writeEnded = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _writes);
                Interlocked.Add(ref _bytes, _buffer.Length);
                if (_options.Mode == DurabilityMode.Fsync)
                {
                    _segment.Sync();
                    syncEnded = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref _syncs);
                }
            }
        }
        catch (Exception ex)
        {
            SetFault(ex);
            foreach (var entry in work) entry.Fail(new IOException("The journal could not write this batch; the engine must be stopped.", ex));
            return;
        }

        if (writeStarted != 0) RecordTelemetry(work, last - _lastWritten, writeStarted, writeEnded, syncEnded);
        _lastWritten = last;
        Interlocked.Exchange(ref _durableSequence, last);
        Interlocked.Add(ref _batches, work.Count);
        if (_options.Mode != DurabilityMode.None)
        {
            foreach (var entry in work) SafeRelease(entry);
        }
        ReleaseWaiters(last);
    }

    private void RecordTelemetry(List<JournalEntry> work, long commands, long writeStarted, long writeEnded, long syncEnded)
    {
        JournalMetrics.Written((int)commands, _buffer.Length, writeStarted, writeEnded, syncEnded);
        JournalTracing.Record(work, (int)commands, writeStarted, writeEnded, syncEnded);
    }

    /// <summary>Frames every command of <paramref name="work"/> into the buffer; returns the last sequence.</summary>
    private long Encode(List<JournalEntry> work)
    {
        _buffer.Clear();
        var last = _lastWritten;
        // Roll before encoding: the records must be encoded with the codec of the segment they go to.
        if (_segment.Length >= _options.SegmentSizeBytes && HasCommands(work)) Roll(last + 1);
        var codec = _segment.Codec;
        foreach (var entry in work)
        {
            foreach (var command in entry.Commands)
            {
                if (command.Sequence != last + 1)
                {
                    throw new InvalidOperationException($"The journal received sequence {command.Sequence} after {last}; sequences must be contiguous.");
                }
                var start = _buffer.Length;
                _buffer.Advance(JournalFormat.RecordHeaderSize);
                CommandCodec.Write(codec, command, _buffer);
                JournalFormat.CompleteRecord(_buffer.Slice(start, _buffer.Length - start), command.Sequence);
                last = command.Sequence;
            }
            Interlocked.Add(ref _commands, entry.Commands.Count);
        }
        return last;
    }

    private static bool HasCommands(List<JournalEntry> work)
    {
        foreach (var entry in work)
        {
            if (entry.Commands.Count > 0) return true;
        }
        return false;
    }

    /// <summary>Closes the full segment (trimmed to its data and synced before the next one exists) and starts the next.</summary>
    private void Roll(long firstSequence)
    {
        _segment.Close(sync: _options.Mode == DurabilityMode.Fsync);
        _segment.Dispose();
        _segment = CreateSegment(firstSequence);
        _logger.LogInformation("Journal segment {Segment} started", Path.GetFileName(_segment.Path));
    }

    private JournalSegment CreateSegment(long firstSequence)
    {
        var segment = JournalSegment.Create(_directory, firstSequence, CommandCodec.Tagged, _options.Mode, _options.SegmentSizeBytes);
        Interlocked.Exchange(ref _segmentFirstSequence, firstSequence);
        Interlocked.Increment(ref _segments);
        return segment;
    }

    /// <summary>A throwing event sink must not kill the flusher: every later caller would hang.</summary>
    private void SafeRelease(JournalEntry entry)
    {
        try
        {
            entry.Release();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "An event sink threw while a durable batch was released");
        }
    }

    private void SetFault(Exception error)
    {
        lock (_gate)
        {
            _fault = error;
            FailWaiters(new IOException("The journal has failed.", error));
            Monitor.PulseAll(_gate);
        }
        _logger.LogCritical(error, "Journal write failed in {Directory}; every later batch is refused and the engine must stop", _directory);
        Faulted?.Invoke(error);
    }

    private void ReleaseWaiters(long durable)
    {
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Sequence > durable) continue;
                _waiters[i].Waiter.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private void FailWaiters(Exception error)
    {
        foreach (var (_, waiter) in _waiters) waiter.TrySetException(error);
        _waiters.Clear();
    }
}
