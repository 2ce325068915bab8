using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Dealwire.ServerApi.Transport;

/// <summary>
/// What waits to be written to one connection. Replies and events are kept in order and never
/// dropped: when more than the limit waits, <see cref="EnqueueFrame"/> refuses and the owner closes
/// the connection. Quotes are conflated per symbol (latest wins), so a slow reader costs at most one
/// frame per symbol. Producers never block; one writer loop drains into the socket.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly object _gate = new();
    private readonly Queue<byte[]> _frames = new();
    private readonly Dictionary<string, byte[]> _quotes = new(StringComparer.Ordinal);
    private readonly Queue<string> _quoteOrder = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly long _maxPendingBytes;
    private readonly int _maxQuoteSymbols;
    private long _pendingBytes;
    private bool _completed;

    public OutboundQueue(long maxPendingBytes, int maxQuoteSymbols)
    {
        _maxPendingBytes = maxPendingBytes;
        _maxQuoteSymbols = Math.Max(1, maxQuoteSymbols);
    }

    /// <summary>Quotes dropped by conflation or by the symbol cap (monitoring and tests).</summary>
    public long QuotesConflated { get; private set; }

    public long PendingBytes
    {
        get
        {
            lock (_gate) return _pendingBytes;
        }
    }

    /// <summary>Queues a reply or event (already ending in CR LF). False when the reader is too far behind.</summary>
    public bool EnqueueFrame(byte[] frame)
    {
        lock (_gate)
        {
            if (_completed) return true;
            if (_pendingBytes + frame.Length > _maxPendingBytes) return false;
            _frames.Enqueue(frame);
            _pendingBytes += frame.Length;
        }
        _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Queues a quote frame; replaces a quote of the same symbol that is still waiting.</summary>
    public void EnqueueQuote(string symbol, byte[] frame)
    {
        lock (_gate)
        {
            if (_completed) return;
            if (_quotes.ContainsKey(symbol))
            {
                _quotes[symbol] = frame;
                QuotesConflated++;
            }
            else
            {
                if (_quotes.Count >= _maxQuoteSymbols && _quoteOrder.TryDequeue(out var oldest))
                {
                    _quotes.Remove(oldest);
                    QuotesConflated++;
                }
                _quotes[symbol] = frame;
                _quoteOrder.Enqueue(symbol);
            }
        }
        _signal.Writer.TryWrite(true);
    }

    /// <summary>Stops accepting frames and lets the writer loop end after what is queued.</summary>
    public void Complete()
    {
        lock (_gate) _completed = true;
        _signal.Writer.TryComplete();
    }

    /// <summary>Drains the queue into the socket until completed or the connection goes away.</summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var batch = new List<byte[]>(64);
        var reader = _signal.Reader;
        while (true)
        {
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            reader.TryRead(out _);

            long bytes = 0;
            lock (_gate)
            {
                while (_frames.TryDequeue(out var frame)) { batch.Add(frame); bytes += frame.Length; }
                while (_quoteOrder.TryDequeue(out var symbol))
                {
                    if (_quotes.Remove(symbol, out var quote)) batch.Add(quote);
                }
            }

            if (batch.Count > 0)
            {
                // One flush per drained batch: writes are coalesced, the socket sees few large sends.
                foreach (var frame in batch) output.Write(frame.AsSpan());
                batch.Clear();
                FlushResult result;
                try
                {
                    result = await output.FlushAsync(cancellationToken);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                lock (_gate) _pendingBytes -= bytes;
                if (result.IsCompleted || result.IsCanceled) return;
            }
            if (!more) return;
        }
    }
}
