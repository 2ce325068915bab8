using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.History;

/// <summary>
/// The side channel's writer: a bounded queue the gateways post to (<see cref="Record"/> never blocks) and one
/// background loop that stores batches in the audit log. A full queue drops the event and counts it
/// (<see cref="Dropped"/>, logged): a flood of refused sign-ins must not grow memory or slow a gateway.
/// </summary>
public sealed class AuditSideChannel : IAuditTrail, IAsyncDisposable
{
    public const int DefaultCapacity = 10_000;
    private const int MaxBatch = 500;

    private readonly IAuditStore _store;
    private readonly ILogger _logger;
    private readonly Channel<AuditEvent> _queue;
    private Task? _loop;
    private long _dropped;
    private long _written;

    public AuditSideChannel(IAuditStore store, ILogger logger, int capacity = DefaultCapacity)
    {
        _store = store;
        _logger = logger;
        _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    /// <summary>Events refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events stored so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public void Record(AuditEvent entry)
    {
        if (!_queue.Writer.TryWrite(entry)) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Starts the writer loop (opens the audit schema first, retrying while the database is unreachable).</summary>
    public void Start() => _loop ??= Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await _store.OpenAuditAsync();
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning(ex, "Audit log not reachable; retrying in {Delay}", delay);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }

        var batch = new List<AuditEvent>(MaxBatch);
        var reader = _queue.Reader;
        long reportedDrops = 0;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var e)) batch.Add(e);
            await StoreAsync(batch);
            batch.Clear();
            var dropped = Dropped;
            if (dropped != reportedDrops)
            {
                _logger.LogWarning("Audit side channel full: {Dropped} events dropped so far", dropped);
                reportedDrops = dropped;
            }
        }
    }

    private async Task StoreAsync(List<AuditEvent> batch)
    {
        // A few attempts: a busy SQLite file or a PostgreSQL fail-over is transient; a batch that still fails is
        // logged whole (the log keeps what the table could not) rather than blocking the queue for ever.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _store.AppendAuditAsync(batch);
                Interlocked.Add(ref _written, batch.Count);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (attempt >= 3)
                {
                    foreach (var e in batch)
                    {
                        _logger.LogError(ex, "Audit event not stored: {Time} {Actor} {Action} {Status} {Source} {Detail}", e.Time, e.Actor, e.Action, e.Status, e.Source, e.Detail);
                    }
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
    }

    /// <summary>Stops taking events and waits (bounded by <paramref name="timeout"/>) until the queued ones are stored.</summary>
    public async Task FlushAndStopAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            try
            {
                await loop.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("Audit side channel: {Pending} events not stored at shutdown", _queue.Reader.Count);
            }
        }
    }

    public async ValueTask DisposeAsync() => await FlushAndStopAsync(TimeSpan.FromSeconds(5));
}
