using Dealwire.Engine.Runtime;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.Stream;

/// <summary>
/// One consumer's position in the committed stream and the task that feeds it: ring batches while it keeps up,
/// backfill while it is behind the window, nothing twice. A consumer that throws is stopped (and shown as
/// faulted in <c>/health</c>) rather than retried blindly: its state may be half-applied.
/// </summary>
internal sealed class StreamSubscription : IDisposable
{
    private readonly CommittedStream _stream;
    private readonly ICommittedConsumer _consumer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private long _delivered;
    private volatile string _state = "starting";
    private volatile string? _error;

    public StreamSubscription(CommittedStream stream, string name, long afterSequence, ICommittedConsumer consumer, ILogger logger)
    {
        _stream = stream;
        Name = name;
        _delivered = afterSequence;
        _consumer = consumer;
        _logger = logger;
    }

    public string Name { get; }

    /// <summary>Last sequence the consumer has processed.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>False once the consumer has faulted or closed: it will read nothing more, so it holds no batch.</summary>
    public bool Reading => _state is not ("faulted" or "closed");

    public void Start() => _run = Task.Run(RunAsync);

    public StreamConsumerStatus Status(long published)
    {
        var delivered = Delivered;
        return new StreamConsumerStatus(Name, delivered, Math.Max(0, published - delivered), _state, _error);
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stream.Remove(this);
    }

    /// <summary>
    /// Stops the subscription; once this returns the consumer is not called again. From inside the consumer's
    /// own callback it only cancels (waiting there would wait for itself).
    /// </summary>
    public void Dispose()
    {
        if (Current.Value == this)
        {
            _stop.Cancel();
            _stream.Remove(this);
            return;
        }
        StopAsync().GetAwaiter().GetResult();
    }

    private static readonly AsyncLocal<StreamSubscription?> Current = new();

    private async Task RunAsync()
    {
        Current.Value = this;
        var token = _stop.Token;
        var index = -1L;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var next = _stream.Read(Delivered, index);
                switch (next.Kind)
                {
                    case RingReadKind.Closed:
                        _state = "closed";
                        return;
                    case RingReadKind.Batch:
                        _state = "live";
                        await DeliverAsync(next.Item!, token).ConfigureAwait(false);
                        index = next.Index + 1;
                        break;
                    case RingReadKind.Wait:
                        _state = "live";
                        index = next.Index;
                        await next.Signal!.WaitAsync(token).ConfigureAwait(false);
                        break;
                    case RingReadKind.Backfill:
                        _state = "backfill";
                        await BackfillAsync(next.Through, token).ConfigureAwait(false);
                        index = -1;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _state = "closed";
        }
        catch (Exception ex)
        {
            _state = "faulted";
            _error = ex.Message;
            _logger.LogError(ex, "Stream consumer {Consumer} stopped after sequence {Sequence}", Name, Delivered);
            try
            {
                _consumer.OnStopped(ex);
            }
            catch (Exception notified)
            {
                _logger.LogError(notified, "Stream consumer {Consumer} failed on hearing it was stopped", Name);
            }
        }
    }

    private async Task BackfillAsync(long through, CancellationToken token)
    {
        var from = Delivered;
        _logger.LogInformation("Stream consumer {Consumer} reads sequences {From}..{Through} from the backfill", Name, from + 1, through);
        await foreach (var batch in _stream.Backfill(Name, from, through, token).WithCancellation(token).ConfigureAwait(false))
        {
            if (batch.LastSequence > through) throw new InvalidOperationException($"The backfill returned sequences up to {batch.LastSequence}, beyond the requested {through}.");
            await DeliverAsync(batch, token).ConfigureAwait(false);
        }
        if (Delivered != through)
        {
            throw new InvalidOperationException($"The backfill ended at sequence {Delivered}, short of the requested {through}: the journal lacks sequences the stream needs.");
        }
    }

    private async Task DeliverAsync(CommittedBatch batch, CancellationToken token)
    {
        var expected = Delivered + 1;
        if (batch.FirstSequence != expected)
        {
            throw new InvalidOperationException($"Stream consumer {Name} expected sequence {expected} but was offered {batch.FirstSequence}..{batch.LastSequence}.");
        }
        await _consumer.OnBatchAsync(batch, token).ConfigureAwait(false);
        Interlocked.Exchange(ref _delivered, batch.LastSequence);
    }
}
