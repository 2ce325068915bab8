using Dealwire.Engine.Core;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using Microsoft.Extensions.Logging;

namespace Dealwire.Persistence.Snapshots;

/// <summary>
/// Takes snapshots without stopping the engine for long: <see cref="TradingEngine.CreateSnapshot"/> runs on
/// the engine thread (through <see cref="EngineRunner.ExclusiveAsync{T}"/>) and returns an immutable copy;
/// waiting for the journal, encoding, writing and fsync all happen off the engine thread while it keeps
/// applying commands. A snapshot is written only once the journal is durable up to its sequence, so the
/// journal always reaches every snapshot. After each snapshot, retention retires covered segments.
/// </summary>
public sealed class Checkpointer : IAsyncDisposable
{
    private readonly string _snapshotDirectory;
    private readonly JournalWriter _journal;
    private readonly DurabilityOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _lastSnapshotSequence;
    private int _disposed;

    internal Checkpointer(string snapshotDirectory, JournalWriter journal, DurabilityOptions options, ILogger logger, long lastSnapshotSequence)
    {
        _snapshotDirectory = snapshotDirectory;
        _journal = journal;
        _options = options;
        _logger = logger;
        _lastSnapshotSequence = lastSnapshotSequence;
    }

    /// <summary>What the retention pass after the last snapshot removed.</summary>
    public RetentionResult LastRetention { get; private set; }

    /// <summary>
    /// The oldest sequence a stream consumer may still replay from (the history projector's stored position); retention
    /// keeps a snapshot at or before it and the journal after that. Null = no consumer holds anything.
    /// </summary>
    public Func<long>? RetainAfter { get; set; }

    /// <summary>Sequence of the newest snapshot on disk (0 = none).</summary>
    public long LastSnapshotSequence => Interlocked.Read(ref _lastSnapshotSequence);

    /// <summary>Starts the periodic snapshots (every <see cref="DurabilityOptions.SnapshotEveryCommands"/> or <see cref="DurabilityOptions.SnapshotInterval"/>).</summary>
    public void Start(EngineRunner runner)
    {
        if (_loop is not null) throw new InvalidOperationException("Periodic snapshots are already running.");
        if (_options.SnapshotEveryCommands == 0 && _options.SnapshotInterval == TimeSpan.Zero) return;
        _loop = Task.Run(() => RunAsync(runner, _stop.Token));
    }

    /// <summary>Takes a snapshot now through the running engine; returns null when nothing changed since the last one.</summary>
    public async Task<SnapshotInfo?> TakeAsync(EngineRunner runner, CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await runner.ExclusiveAsync(engine => engine.LastSequence > LastSnapshotSequence ? engine.CreateSnapshot() : null, cancellationToken).ConfigureAwait(false);
            if (snapshot is null) return null;
            // The batch holding the snapshot's last commands may still be on its way to the disk.
            await _journal.WaitForDurableAsync(snapshot.LastSequence, cancellationToken).ConfigureAwait(false);
            return await Task.Run(() => Persist(snapshot), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Snapshot of an engine no thread is running (after the runner stopped, or right after recovery).
    /// Refused when the journal is not durable up to the engine's sequence (a failed journal).
    /// </summary>
    internal SnapshotInfo? TakeQuiescent(TradingEngine engine)
    {
        _oneAtATime.Wait();
        try
        {
            if (engine.LastSequence <= LastSnapshotSequence) return null;
            if (_journal.DurableSequence < engine.LastSequence)
            {
                throw new InvalidOperationException($"The journal is durable only up to {_journal.DurableSequence}, the engine is at {engine.LastSequence}: no snapshot may claim undurable commands.");
            }
            return Persist(engine.CreateSnapshot());
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Stops the periodic loop (does not take a snapshot; <see cref="DurableStore.CloseAsync"/> does).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // expected on stop
            }
        }
        _stop.Dispose();
    }

    private SnapshotInfo Persist(EngineSnapshot snapshot)
    {
        var info = SnapshotFile.Write(_snapshotDirectory, snapshot, fsync: _options.Mode != DurabilityMode.None);
        Interlocked.Exchange(ref _lastSnapshotSequence, info.Sequence);
        var retention = SnapshotStore.ApplyRetention(_snapshotDirectory, _journal.JournalDirectory, _journal.ActiveSegmentFirstSequence, _options, _logger,
            RetainAfter?.Invoke() ?? long.MaxValue);
        LastRetention = retention;
        _logger.LogInformation("Snapshot at sequence {Sequence} written ({Bytes} bytes, hash {Hash}); {Retired} segment(s) retired",
            info.Sequence, info.PayloadBytes, info.StateHash, retention.SegmentsRetired);
        return info;
    }

    private async Task RunAsync(EngineRunner runner, CancellationToken stop)
    {
        var lastTime = DateTime.UtcNow;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            var pending = _journal.DurableSequence - LastSnapshotSequence;
            if (pending <= 0) continue;
            var byCount = _options.SnapshotEveryCommands > 0 && pending >= _options.SnapshotEveryCommands;
            var byTime = _options.SnapshotInterval > TimeSpan.Zero && DateTime.UtcNow - lastTime >= _options.SnapshotInterval;
            if (!byCount && !byTime) continue;
            if (runner.State != EngineState.Running || _journal.Fault is not null) continue;
            try
            {
                await TakeAsync(runner, stop).ConfigureAwait(false);
                lastTime = DateTime.UtcNow;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed snapshot loses nothing (the journal has it all); retry at the next trigger.
                _logger.LogError(ex, "Periodic snapshot failed");
                lastTime = DateTime.UtcNow;
            }
        }
    }
}
