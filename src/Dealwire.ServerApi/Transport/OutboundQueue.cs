using System.IO.Pipelines;
using System.Threading.Channels;
using Dealwire.Gateway.Diagnostics;

namespace Dealwire.ServerApi.Transport;

/// <summary>A serialized quote line and the symbol it conflates under.</summary>
internal readonly record struct QuoteFrame(string Symbol, byte[] Frame);

/// <summary>
/// What waits to be written to one connection. Replies and events are kept in order and never
/// dropped: when more than the limit waits, <see cref="EnqueueFrame"/> refuses and the owner closes
/// the connection. Quotes are kept in arrival order while their backlog stays under the quote backlog
/// (a reader that keeps up gets every tick); past it, the reader is behind and quotes are conflated
/// per symbol (latest wins, in the order symbols first waited), so a slow reader costs at most one
/// frame per symbol. Producers never block; one writer loop drains into the socket, woken once per
/// drain however many frames arrive meanwhile.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly object _gate = new();
    private List<byte[]> _frames = new();
    private List<byte[]> _spareFrames = new();
    private List<QuoteFrame> _quotes = new();
    private List<QuoteFrame> _spareQuotes = new();
    // Symbol → index in _quotes, only while conflating (the backlog went over its limit since the last drain).
    private Dictionary<string, int>? _slots;
    private bool _conflating;
    // Entries before this index were dropped by the symbol cap.
    private int _quoteHead;
    private long _quoteBytes;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly long _maxPendingBytes;
    private readonly int _maxQuoteSymbols;
    private readonly long _quoteBacklogBytes;
    private long _pendingBytes;
    private bool _signalled;
    private bool _completed;

    /// <param name="maxPendingBytes">Replies and events that may wait before the reader counts as stuck.</param>
    /// <param name="maxQuoteSymbols">Distinct symbols that may wait while conflating; the oldest is dropped beyond it.</param>
    /// <param name="quoteBacklogBytes">Quote bytes kept in arrival order before conflation starts; 0 = always conflate.</param>
    public OutboundQueue(long maxPendingBytes, int maxQuoteSymbols, long quoteBacklogBytes = 0)
    {
        _maxPendingBytes = maxPendingBytes;
        _maxQuoteSymbols = Math.Max(1, maxQuoteSymbols);
        _quoteBacklogBytes = Math.Max(0, quoteBacklogBytes);
    }

    /// <summary>Quotes dropped by conflation or by the symbol cap (monitoring and tests).</summary>
    public long QuotesConflated { get; private set { GatewayMetrics.QuotesConflated(GatewayProtocol.ServerApi, value - field); field = value; } }

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
        bool wake;
        lock (_gate)
        {
            if (_completed) return true;
            if (_pendingBytes + frame.Length > _maxPendingBytes) return false;
            _frames.Add(frame);
            _pendingBytes += frame.Length;
            wake = !_signalled;
            _signalled = true;
        }
        if (wake) _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Queues replies or events in order under one lock; false (nothing queued) when they do not fit.</summary>
    public bool EnqueueFrames(ReadOnlySpan<byte[]> frames)
    {
        long size = 0;
        foreach (var frame in frames) size += frame.Length;
        bool wake;
        lock (_gate)
        {
            if (_completed) return true;
            if (_pendingBytes + size > _maxPendingBytes) return false;
            _frames.AddRange(frames);
            _pendingBytes += size;
            wake = !_signalled;
            _signalled = true;
        }
        if (wake) _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Queues a quote frame; conflates with a waiting quote of the same symbol when the reader is behind.</summary>
    public void EnqueueQuote(string symbol, byte[] frame) => EnqueueQuotes([new QuoteFrame(symbol, frame)]);

    /// <summary>
    /// Queues a batch of quote frames in order under one lock and with at most one writer wake-up.
    /// True when the reader is behind: its quote backlog is full and waiting quotes are being conflated.
    /// </summary>
    public bool EnqueueQuotes(ReadOnlySpan<QuoteFrame> quotes)
    {
        if (quotes.IsEmpty) return false;
        bool wake, behind;
        lock (_gate)
        {
            if (_completed) return false;
            foreach (var quote in quotes) AddQuote(quote);
            behind = _conflating;
            wake = !_signalled;
            _signalled = true;
        }
        if (wake) _signal.Writer.TryWrite(true);
        return behind;
    }

    private void AddQuote(QuoteFrame quote)
    {
        if (!_conflating)
        {
            if (_quoteBytes + quote.Frame.Length <= _quoteBacklogBytes)
            {
                _quotes.Add(quote);
                _quoteBytes += quote.Frame.Length;
                return;
            }
            StartConflating();
        }

        var slots = _slots!;
        if (slots.TryGetValue(quote.Symbol, out var index))
        {
            _quoteBytes += quote.Frame.Length - _quotes[index].Frame.Length;
            _quotes[index] = quote;
            QuotesConflated++;
            return;
        }
        if (slots.Count >= _maxQuoteSymbols) DropOldestQuote();
        slots[quote.Symbol] = _quotes.Count;
        _quotes.Add(quote);
        _quoteBytes += quote.Frame.Length;
    }

    /// <summary>The reader fell behind: collapse the waiting quotes to the latest per symbol, keeping first-arrival order.</summary>
    private void StartConflating()
    {
        _conflating = true;
        var slots = _slots ??= new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = 0;
        long bytes = 0;
        for (var i = _quoteHead; i < _quotes.Count; i++)
        {
            var quote = _quotes[i];
            if (slots.TryGetValue(quote.Symbol, out var at))
            {
                bytes += quote.Frame.Length - _quotes[at].Frame.Length;
                _quotes[at] = quote;
                QuotesConflated++;
            }
            else
            {
                slots[quote.Symbol] = kept;
                _quotes[kept++] = quote;
                bytes += quote.Frame.Length;
            }
        }
        _quotes.RemoveRange(kept, _quotes.Count - kept);
        _quoteHead = 0;
        _quoteBytes = bytes;
        while (slots.Count > _maxQuoteSymbols) DropOldestQuote();
    }

    private void DropOldestQuote()
    {
        var oldest = _quotes[_quoteHead];
        _slots!.Remove(oldest.Symbol);
        _quotes[_quoteHead++] = default;
        _quoteBytes -= oldest.Frame.Length;
        QuotesConflated++;
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
            // Let the work queued with this wake-up (the other replies and events of the same engine
            // batch) run first, so they leave in this send rather than one send each.
            await Task.Yield();

            List<byte[]> frames;
            List<QuoteFrame> quotes;
            int quoteHead;
            long bytes = 0;
            lock (_gate)
            {
                // Swap rather than copy: producers fill the spare lists while this batch is written.
                frames = _frames;
                _frames = _spareFrames;
                quotes = _quotes;
                _quotes = _spareQuotes;
                quoteHead = _quoteHead;
                _quoteHead = 0;
                _quoteBytes = 0;
                if (_conflating)
                {
                    _conflating = false;
                    _slots!.Clear();
                }
                _signalled = false;
                foreach (var frame in frames) bytes += frame.Length;
            }

            if (frames.Count > 0 || quotes.Count > quoteHead)
            {
                // One flush per drained batch: writes are coalesced, the socket sees few large sends.
                foreach (var frame in frames) Copy(output, frame);
                for (var i = quoteHead; i < quotes.Count; i++) Copy(output, quotes[i].Frame);
                GatewayMetrics.Sent(GatewayProtocol.ServerApi, frames.Count + quotes.Count - quoteHead, output);
                frames.Clear();
                quotes.Clear();
                FlushResult result;
                try
                {
                    result = await output.FlushAsync(cancellationToken);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                finally
                {
                    lock (_gate)
                    {
                        _spareFrames = frames;
                        _spareQuotes = quotes;
                    }
                }
                lock (_gate) _pendingBytes -= bytes;
                if (result.IsCompleted || result.IsCanceled) return;
            }
            else
            {
                lock (_gate)
                {
                    _spareFrames = frames;
                    _spareQuotes = quotes;
                }
            }
            if (!more) return;
        }
    }

    private static void Copy(PipeWriter output, byte[] frame)
    {
        var span = output.GetSpan(frame.Length);
        frame.CopyTo(span);
        output.Advance(frame.Length);
    }
}
