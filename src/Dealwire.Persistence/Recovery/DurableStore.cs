using Dealwire.Engine.Core;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.IO;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Snapshots;
using Microsoft.Extensions.Logging;

namespace Dealwire.Persistence.Recovery;

/// <summary>
/// The durable state of one data directory: recovers the engine at <see cref="Open"/>, then owns the
/// journal writer and the snapshots until <see cref="CloseAsync"/>. Holds an exclusive lock on the
/// directory (journal/LOCK) so two servers never write one journal.
/// </summary>
/// <example>
/// <code>
/// var store = DurableStore.Open(dataDir, options, logger);
/// var runner = new EngineRunner(store.Engine, store.Journal);
/// store.Journal.Faulted += _ => { /* stop the host: memory is ahead of the disk */ };
/// runner.Start();
/// store.StartSnapshots(runner);
/// // ... serve ...
/// await runner.StopAsync();
/// await store.CloseAsync();   // drains the journal, snapshot at shutdown, releases the lock
/// </code>
/// </example>
public sealed class DurableStore : IAsyncDisposable
{
    private readonly FileStream _lock;
    private readonly DurabilityOptions _options;
    private readonly ILogger _logger;
    private bool _closed;

    private DurableStore(FileStream directoryLock, TradingEngine engine, JournalWriter journal, Checkpointer checkpointer, RecoveryReport report, DurabilityOptions options, ILogger logger)
    {
        _lock = directoryLock;
        Engine = engine;
        Journal = journal;
        Snapshots = checkpointer;
        Report = report;
        _options = options;
        _logger = logger;
    }

    /// <summary>The recovered engine; hand it to the <see cref="EngineRunner"/> together with <see cref="Journal"/>.</summary>
    public TradingEngine Engine { get; }

    public JournalWriter Journal { get; }

    public Checkpointer Snapshots { get; }

    public RecoveryReport Report { get; }

    public void Deconstruct(out TradingEngine engine, out JournalWriter journal, out RecoveryReport report)
    {
        engine = Engine;
        journal = Journal;
        report = Report;
    }

    /// <summary>
    /// Recovers the engine from <paramref name="dataDir"/> (newest valid snapshot + journal tail) and opens
    /// the journal for appending. A torn final record is truncated and logged; any other damage throws
    /// <see cref="DataCorruptionException"/> naming the file and offset, and nothing is modified.
    /// </summary>
    /// <param name="createEmpty">Builds the engine when there is no snapshot (first start); default <c>new TradingEngine()</c>.</param>
    public static DurableStore Open(string dataDir, DurabilityOptions options, ILogger logger, Func<TradingEngine>? createEmpty = null)
    {
        options.Validate();
        var journalDir = DataLayout.Journal(dataDir);
        var snapshotDir = DataLayout.Snapshots(dataDir);
        Directory.CreateDirectory(journalDir);
        Directory.CreateDirectory(snapshotDir);
        var directoryLock = AcquireLock(dataDir);
        try
        {
            SnapshotStore.DeleteLeftovers(snapshotDir, logger);
            var recovered = Recoverer.Recover(dataDir, logger, createEmpty, checkCoveredSegments: false, hashState: options.HashRecoveredState);
            var scan = recovered.Scan;
            var report = recovered.Report;

            SegmentFile? appendTo = scan.Segments.Count > 0 ? scan.Segments[^1] : null;
            if (scan.Torn is { } torn)
            {
                logger.LogWarning("Torn write at the end of the journal: dropping {Bytes} byte(s) of {File} from offset {Offset} ({Reason}); it was never acknowledged",
                    torn.Length, torn.File, torn.Offset, torn.Reason);
                if (torn.WholeFile)
                {
                    File.Delete(torn.File);
                    appendTo = null;
                }
                else
                {
                    using var file = new FileStream(torn.File, FileMode.Open, FileAccess.Write, FileShare.None);
                    file.SetLength(torn.Offset);
                    file.Flush(flushToDisk: true);
                }
                FileSync.Directory(journalDir);
            }

            var journal = new JournalWriter(journalDir, recovered.Engine.LastSequence, appendTo, scan.LastSegmentValidLength, options, logger);
            var checkpointer = new Checkpointer(snapshotDir, journal, options, logger, report.Snapshot?.Sequence ?? 0);
            logger.LogInformation("Recovered to sequence {Sequence} in {Elapsed} ms: snapshot {Snapshot}, {Replayed} command(s) replayed from {Segments} segment(s), state hash {Hash}",
                report.LastSequence, (long)report.Elapsed.TotalMilliseconds, report.Snapshot?.Sequence ?? 0, report.CommandsReplayed, report.Segments, report.StateHash.Length > 0 ? report.StateHash : "not computed");
            return new DurableStore(directoryLock, recovered.Engine, journal, checkpointer, report, options, logger);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Starts periodic snapshots of the running engine.</summary>
    public void StartSnapshots(EngineRunner runner) => Snapshots.Start(runner);

    /// <summary>Takes a snapshot of the running engine now (null when nothing changed since the last one).</summary>
    public Task<SnapshotInfo?> SnapshotAsync(EngineRunner runner, CancellationToken cancellationToken = default) => Snapshots.TakeAsync(runner, cancellationToken);

    /// <summary>
    /// Graceful shutdown; call after <see cref="EngineRunner.StopAsync"/>. Stops periodic snapshots, drains
    /// and fsyncs the journal, writes a shutdown snapshot (when enabled and the journal is healthy) and
    /// releases the directory lock.
    /// </summary>
    public async Task CloseAsync()
    {
        if (_closed) return;
        _closed = true;
        try
        {
            await Snapshots.DisposeAsync().ConfigureAwait(false);
            Journal.Dispose();
            if (Journal.Fault is not null)
            {
                _logger.LogError("No shutdown snapshot: the journal failed, the engine's memory is ahead of the disk; the next start recovers from the journal");
            }
            else if (Journal.DurableSequence < Engine.LastSequence)
            {
                // A replica deposed while its engine held commands the cluster did not commit (they were never journaled
                // here): the fail-stop path. The snapshot would claim them, so there is none; the restart recovers the
                // committed state from the journal and the cluster's log.
                _logger.LogError("No shutdown snapshot: the engine is at sequence {Engine} but the journal holds only up to {Durable}; the next start recovers from the journal",
                    Engine.LastSequence, Journal.DurableSequence);
            }
            else if (_options.SnapshotOnShutdown)
            {
                Snapshots.TakeQuiescent(Engine);
            }
        }
        finally
        {
            _lock.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private static FileStream AcquireLock(string dataDir)
    {
        var path = DataLayout.LockFile(dataDir);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix), released if the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The data directory '{dataDir}' is in use by another process (lock '{path}'). Stop it first.", ex);
        }
    }
}
