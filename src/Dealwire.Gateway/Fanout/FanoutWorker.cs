using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Dealwire.Gateway.Fanout;

/// <summary>
/// The single fan-out thread of a protocol's hub: applied batches are handed over in order and dispatched one at a
/// time; quotes are conflated per symbol (the latest wins) and signalled once until the dispatcher takes them. Every
/// hub (Manager API, JSON trader socket) runs its pushes on one of these instead of its own copy.
/// </summary>
public sealed class FanoutWorker<TBatch, TQuote> : IAsyncDisposable where TBatch : class
{
    private static readonly object QuoteSignal = new();
    private readonly Channel<object> _work = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TQuote> _pendingQuotes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Action _load;
    private readonly Action<TBatch> _dispatchBatch;
    private readonly Action _dispatchQuotes;
    private readonly Action<Exception> _failed;
    private int _quotesSignalled;
    private int _disposed;
    private Task? _dispatcher;

    /// <param name="load">Runs once on the fan-out thread before the first item (the hub's initial state).</param>
    /// <param name="dispatchQuotes">Called when quotes wait; it drains them with <see cref="TakeQuotes"/>.</param>
    /// <param name="failed">One batch or quote run threw: logged by the hub, the thread goes on.</param>
    public FanoutWorker(Action load, Action<TBatch> dispatchBatch, Action dispatchQuotes, Action<Exception> failed)
    {
        _load = load;
        _dispatchBatch = dispatchBatch;
        _dispatchQuotes = dispatchQuotes;
        _failed = failed;
    }

    /// <summary>Items handed over but not yet dispatched (monitoring and tests).</summary>
    public int Backlog => _work.Reader.Count;

    public void Start() => _dispatcher ??= Task.Run(() => RunAsync(_stop.Token));

    public void Post(TBatch batch) => _work.Writer.TryWrite(batch);

    public void OfferQuote(string symbol, TQuote quote)
    {
        _pendingQuotes[symbol] = quote;
        if (Interlocked.Exchange(ref _quotesSignalled, 1) == 0) _work.Writer.TryWrite(QuoteSignal);
    }

    /// <summary>The waiting quotes, each taken once; a quote offered meanwhile signals a new run.</summary>
    public IEnumerable<(string Symbol, TQuote Quote)> TakeQuotes()
    {
        Volatile.Write(ref _quotesSignalled, 0);
        foreach (var symbol in _pendingQuotes.Keys)
        {
            if (_pendingQuotes.TryRemove(symbol, out var quote)) yield return (symbol, quote);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            _load();
            await foreach (var item in _work.Reader.ReadAllAsync(stop))
            {
                try
                {
                    if (ReferenceEquals(item, QuoteSignal)) _dispatchQuotes();
                    else _dispatchBatch((TBatch)item);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _failed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Hubs are registered under several service types, so the container may dispose one more than once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _work.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_dispatcher is not null)
        {
            try
            {
                await _dispatcher;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
