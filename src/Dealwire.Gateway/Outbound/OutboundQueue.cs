using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Dealwire.Gateway.Diagnostics;
using Microsoft.AspNetCore.Connections;

namespace Dealwire.Gateway.Outbound;

/// <summary>
/// What waits to be written to one connection, for every protocol. Bounded by bytes, not messages: one
/// large table reply weighs what it costs. Replies and events are kept in order and never dropped: when
/// more than <see cref="Capacity"/> bytes of them wait (queued, or drained but not yet flushed) the
/// enqueue is refused, <see cref="OverflowReason"/> says why and the queue completes; the owner closes
/// the connection with that reason in its log. Quotes are kept in arrival order while their backlog stays
/// under the quote backlog (a reader that keeps up gets every tick); past it the reader is behind and
/// quotes are conflated per symbol (latest wins, in the order symbols first waited), so a slow reader
/// costs at most one frame per symbol. Producers never block; one writer loop drains into the socket,
/// woken once per drain however many frames arrive meanwhile, and flushes once per drain (coalesced writes).
/// </summary>
public sealed class OutboundQueue
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
    private readonly int _maxQuoteSymbols;
    private readonly long _quoteBacklogBytes;
    private long _pendingBytes;
    private bool _signalled;
    private bool _completed;
    private readonly string _protocol;
    private readonly GatewayMetrics.Tally _conflatedTally;

    /// <param name="maxPendingBytes">Replies and events that may wait before the reader counts as stuck.</param>
    /// <param name="maxQuoteSymbols">Distinct symbols that may wait while conflating; the oldest is dropped beyond it.</param>
    /// <param name="quoteBacklogBytes">Quote bytes kept in arrival order before conflation starts; 0 = always conflate.</param>
    /// <param name="protocol">Whose connection this is, for the gateway metrics.</param>
    public OutboundQueue(long maxPendingBytes, int maxQuoteSymbols, long quoteBacklogBytes = 0, string protocol = GatewayProtocol.ServerApi)
    {
        _protocol = protocol;
        _conflatedTally = GatewayMetrics.QuotesConflated(protocol);
        Capacity = maxPendingBytes;
        _maxQuoteSymbols = Math.Max(1, maxQuoteSymbols);
        _quoteBacklogBytes = Math.Max(0, quoteBacklogBytes);
    }

    /// <summary>The sizes a listener's options give every connection's queue.</summary>
    public OutboundQueue(ListenerOptions options, string protocol = GatewayProtocol.ServerApi)
        : this(options.MaxPendingReplyBytes, options.QuoteQueueSymbols, options.QuoteBacklogBytes, protocol)
    {
    }

    /// <summary>Bytes of replies and events that may wait for the reader.</summary>
    public long Capacity { get; }

    /// <summary>Quotes dropped by conflation or by the symbol cap (monitoring and tests).</summary>
    public long QuotesConflated
    {
        get
        {
            lock (_gate) return _quotesConflated;
        }
    }

    // Counted under the gate; the protocol's tally gets each enqueue's total once, outside it.
    private long _quotesConflated;

    /// <summary>Why the queue stopped taking frames (the reader fell too far behind), or null.</summary>
    public string? OverflowReason { get; private set; }

    /// <summary>Bytes of replies and events queued or being written (monitoring and tests).</summary>
    public long PendingBytes
    {
        get
        {
            lock (_gate) return _pendingBytes;
        }
    }

    public bool IsCompleted
    {
        get
        {
            lock (_gate) return _completed;
        }
    }

    /// <summary>
    /// Whether more quote bytes wait than half the in-order backlog: the writer has not taken them because the socket
    /// is full (it takes everything waiting at each drain). What a paced replay waits on.
    /// </summary>
    public bool QuotesBehind
    {
        get
        {
            lock (_gate) return _conflating || _quoteBytes > _quoteBacklogBytes / 2;
        }
    }

    /// <summary>Symbols whose quotes wait (monitoring and tests).</summary>
    public int QueuedQuotes
    {
        get
        {
            lock (_gate) return _quotes.Count - _quoteHead;
        }
    }

    /// <summary>Queues a reply or event (already ending in CR LF). False when the queue is closed or the reader is too far behind.</summary>
    public bool EnqueueFrame(byte[] frame) => EnqueueFrames(new ReadOnlySpan<byte[]>(in frame));

    /// <summary>Queues replies or events in order under one lock; false (nothing queued) when they do not fit.</summary>
    public bool EnqueueFrames(ReadOnlySpan<byte[]> frames)
    {
        long size = 0;
        foreach (var frame in frames) size += frame.Length;
        bool wake;
        lock (_gate)
        {
            if (_completed) return false;
            if (_pendingBytes + size > Capacity)
            {
                OverflowReason = $"outbound queue over {Capacity} bytes (MaxPendingReplyBytes): reader too slow, the client does not read its replies and events";
                CompleteLocked();
                // Counted here, once per queue, so every protocol's slow reader is in the metric; the owner closes the connection.
                GatewayMetrics.SlowReaderClosed(_protocol);
                return false;
            }
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
        long conflated;
        lock (_gate)
        {
            if (_completed) return false;
            var before = _quotesConflated;
            foreach (var quote in quotes) AddQuote(quote);
            conflated = _quotesConflated - before;
            behind = _conflating;
            wake = !_signalled;
            _signalled = true;
        }
        _conflatedTally.Add(conflated);
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
            _quotesConflated++;
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
                _quotesConflated++;
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
        _quotesConflated++;
    }

    /// <summary>Stops accepting frames and lets the writer loop end after what is queued.</summary>
    public void Complete()
    {
        lock (_gate) CompleteLocked();
    }

    private void CompleteLocked()
    {
        _completed = true;
        _signal.Writer.TryComplete();
    }

    /// <summary>
    /// Drains the queue into the socket until completed or the connection goes away: replies and events
    /// first, then the waiting quotes through <paramref name="quoteWriter"/> (each quote frame as it is
    /// when null), then one flush. No yield per write: the wake-up is queued to the thread pool, so frames
    /// produced meanwhile (the rest of one engine batch) join the same drain.
    /// </summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken, IQuoteRunWriter? quoteWriter = null)
    {
        var reader = _signal.Reader;
        try
        {
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
                if (!await DrainAsync(output, quoteWriter, cancellationToken) || !more) return;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or ConnectionResetException)
        {
            // The peer went away; the read loop sees it too.
        }
    }

    /// <summary>One drain: swap the lists out, write them, flush once. False when the output is closed.</summary>
    private async ValueTask<bool> DrainAsync(PipeWriter output, IQuoteRunWriter? quoteWriter, CancellationToken cancellationToken)
    {
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

        try
        {
            if (frames.Count == 0 && quotes.Count <= quoteHead) return true;
            foreach (var frame in frames) output.Write(frame);
            var waiting = CollectionsMarshal.AsSpan(quotes)[quoteHead..];
            if (!waiting.IsEmpty)
            {
                if (quoteWriter is not null) quoteWriter.Write(output, waiting);
                else foreach (var quote in waiting) output.Write(quote.Frame);
            }
            // A quote writer puts all waiting quotes in one message (the Manager API's last_prices).
            GatewayMetrics.Sent(_protocol, frames.Count + (waiting.IsEmpty ? 0 : quoteWriter is null ? waiting.Length : 1), output);
            frames.Clear();
            quotes.Clear();
            FlushResult result;
            try
            {
                result = await output.FlushAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            lock (_gate) _pendingBytes -= bytes;
            return !(result.IsCompleted || result.IsCanceled);
        }
        finally
        {
            frames.Clear();
            quotes.Clear();
            lock (_gate)
            {
                _spareFrames = frames;
                _spareQuotes = quotes;
            }
        }
    }
}
