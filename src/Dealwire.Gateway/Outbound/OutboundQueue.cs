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
    // The writer loop's output and quote writer while it runs (null before and after), for drains in place.
    private PipeWriter? _output;
    private IQuoteRunWriter? _quoteWriter;
    // One drain owns the output at a time: the writer loop's, or one in place on the thread that queued quotes.
    private bool _draining;
    // An in-place drain is writing: the writer loop waits for it before it returns.
    private bool _inPlace;
    // An in-place drain met a full socket: its batch and flush, for the writer loop to finish.
    private Batch? _handover;
    private ValueTask<FlushResult> _handoverFlush;

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

    /// <summary>
    /// Queues a reply and runs <paramref name="whileQueued"/> under the queue's lock right after it (only when the
    /// reply was queued). No drain can take the reply before the action returns, and whatever is queued after it
    /// (quotes from a subscription the action starts) is written after the reply: a Subscribe's reply is on its way
    /// before its first quote, and the client cannot read the reply before the subscription exists. The action must
    /// be short and must not wait for this queue's writer.
    /// </summary>
    public bool EnqueueFrame(byte[] frame, Action? whileQueued) => EnqueueFrames(new ReadOnlySpan<byte[]>(in frame), whileQueued);

    /// <summary>Queues replies or events in order under one lock; false (nothing queued) when they do not fit.</summary>
    public bool EnqueueFrames(ReadOnlySpan<byte[]> frames) => EnqueueFrames(frames, null);

    private bool EnqueueFrames(ReadOnlySpan<byte[]> frames, Action? whileQueued)
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
            whileQueued?.Invoke();
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
    public bool EnqueueQuotes(ReadOnlySpan<QuoteFrame> quotes) => EnqueueQuotes(quotes, drainInPlace: false);

    /// <summary>
    /// As <see cref="EnqueueQuotes(ReadOnlySpan{QuoteFrame})"/>; with <paramref name="drainInPlace"/> the caller (a fan-out
    /// thread, never the engine's) also writes what waits into the socket's pipe when no drain is running, instead of
    /// waking the writer loop.
    /// </summary>
    public bool EnqueueQuotes(ReadOnlySpan<QuoteFrame> quotes, bool drainInPlace)
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
        if (drainInPlace) DrainInPlace();
        else if (wake) _signal.Writer.TryWrite(true);
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
    /// produced meanwhile (the rest of one engine batch) join the same drain. While it waits, a fan-out
    /// thread may drain quotes in place (<see cref="EnqueueQuotes(ReadOnlySpan{QuoteFrame}, bool)"/>); one drain
    /// owns the output at a time, and this loop does not return while an in-place drain is writing.
    /// </summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken, IQuoteRunWriter? quoteWriter = null)
    {
        lock (_gate)
        {
            _output = output;
            _quoteWriter = quoteWriter;
        }
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
        finally
        {
            lock (_gate)
            {
                // No in-place drain starts from here on; one that has started ends its writes before the owner may complete the output.
                _output = null;
                WaitForInPlaceLocked();
            }
        }
    }

    /// <summary>One drain of the writer loop: a flush an in-place drain handed over first, then what waits. False when the output is closed.</summary>
    private async ValueTask<bool> DrainAsync(PipeWriter output, IQuoteRunWriter? quoteWriter, CancellationToken cancellationToken)
    {
        Batch batch;
        while (true)
        {
            Batch handed;
            ValueTask<FlushResult> handedFlush;
            lock (_gate)
            {
                WaitForInPlaceLocked();
                if (_handover is null)
                {
                    batch = TakeBatchLocked();
                    break;
                }
                handed = _handover.Value;
                handedFlush = _handoverFlush;
                _handover = null;
                _handoverFlush = default;
            }
            // An in-place drain met a full socket: its flush is this loop's to finish before anything more is written.
            if (!await FinishAsync(handed, handedFlush, cancellationToken)) return false;
        }

        ValueTask<FlushResult> flush;
        try
        {
            if (batch.IsEmpty)
            {
                lock (_gate) EndDrainLocked(batch, flushed: false);
                return true;
            }
            Write(output, quoteWriter, batch);
            flush = output.FlushAsync(cancellationToken);
        }
        catch
        {
            lock (_gate) EndDrainLocked(batch, flushed: false);
            throw;
        }
        return await FinishAsync(batch, flush, cancellationToken);
    }

    // An in-place drain still writing is waited for: its write is short, and what it leaves must not be missed by a last drain.
    private void WaitForInPlaceLocked()
    {
        while (_inPlace) Monitor.Wait(_gate);
    }

    /// <summary>Waits for a drain's flush and gives the output back. False when the output is closed.</summary>
    private async ValueTask<bool> FinishAsync(Batch batch, ValueTask<FlushResult> flush, CancellationToken cancellationToken)
    {
        var flushed = false;
        try
        {
            FlushResult result;
            try
            {
                result = await flush;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            flushed = true;
            return !(result.IsCompleted || result.IsCanceled);
        }
        finally
        {
            lock (_gate) EndDrainLocked(batch, flushed);
        }
    }

    /// <summary>
    /// Drains on the calling thread (a fan-out thread, right after queuing quotes) when no drain has the output:
    /// the writer loop's wake-up, a thread-pool work item per connection per pass, is saved. A flush that cannot
    /// complete at once (the socket is full) is handed to the writer loop; when another drain has the output, or
    /// the loop has not started, the loop is woken instead.
    /// </summary>
    private void DrainInPlace()
    {
        PipeWriter? output;
        IQuoteRunWriter? quoteWriter = null;
        Batch batch = default;
        lock (_gate)
        {
            output = _draining || _completed ? null : _output;
            if (output is null)
            {
                // The drain that has the output (or the loop, once it starts) takes what was queued.
                _signalled = true;
            }
            else
            {
                quoteWriter = _quoteWriter;
                batch = TakeBatchLocked();
                _inPlace = true;
            }
        }
        if (output is null)
        {
            _signal.Writer.TryWrite(true);
            return;
        }

        var wake = false;
        try
        {
            if (batch.IsEmpty)
            {
                lock (_gate) wake = EndDrainLocked(batch, flushed: false);
                return;
            }
            Write(output, quoteWriter, batch);
            var flush = output.FlushAsync();
            if (!flush.IsCompleted)
            {
                // The socket is full: the writer loop awaits the flush and keeps the output until it completes.
                lock (_gate)
                {
                    _handover = batch;
                    _handoverFlush = flush;
                }
                wake = true;
                return;
            }
            var result = flush.GetAwaiter().GetResult();
            lock (_gate)
            {
                wake = EndDrainLocked(batch, flushed: true);
                if (result.IsCompleted || result.IsCanceled) CompleteLocked();
            }
        }
        catch (Exception)
        {
            // The peer went away (or the output failed otherwise): the queue stops and the writer loop ends, the read
            // loop sees it too. Nothing escapes to the fan-out thread, which serves every other connection.
            lock (_gate)
            {
                EndDrainLocked(batch, flushed: false);
                CompleteLocked();
            }
        }
        finally
        {
            lock (_gate)
            {
                _inPlace = false;
                Monitor.PulseAll(_gate);
            }
            if (wake) _signal.Writer.TryWrite(true);
        }
    }

    /// <summary>Takes everything waiting as one batch and gives its drain the output.</summary>
    private Batch TakeBatchLocked()
    {
        // Swap rather than copy: producers fill the spare lists while this batch is written.
        var batch = new Batch(_frames, _quotes, _quoteHead, 0);
        _frames = _spareFrames;
        _quotes = _spareQuotes;
        _quoteHead = 0;
        _quoteBytes = 0;
        if (_conflating)
        {
            _conflating = false;
            _slots!.Clear();
        }
        _signalled = false;
        _draining = true;
        long bytes = 0;
        foreach (var frame in batch.Frames) bytes += frame.Length;
        return batch with { Bytes = bytes };
    }

    /// <summary>Writes a batch into the output, without flushing.</summary>
    private void Write(PipeWriter output, IQuoteRunWriter? quoteWriter, Batch batch)
    {
        foreach (var frame in batch.Frames) output.Write(frame);
        var waiting = CollectionsMarshal.AsSpan(batch.Quotes)[batch.QuoteHead..];
        if (!waiting.IsEmpty)
        {
            if (quoteWriter is not null) quoteWriter.Write(output, waiting);
            else foreach (var quote in waiting) output.Write(quote.Frame);
        }
        // A quote writer puts all waiting quotes in one message (the Manager API's last_prices).
        GatewayMetrics.Sent(_protocol, batch.Frames.Count + (waiting.IsEmpty ? 0 : quoteWriter is null ? waiting.Length : 1), output);
    }

    /// <summary>Ends a drain: its lists become the spares and the output is free. True when frames were queued meanwhile.</summary>
    private bool EndDrainLocked(Batch batch, bool flushed)
    {
        if (flushed) _pendingBytes -= batch.Bytes;
        batch.Frames.Clear();
        batch.Quotes.Clear();
        _spareFrames = batch.Frames;
        _spareQuotes = batch.Quotes;
        _draining = false;
        return _signalled;
    }

    /// <summary>What one drain writes: the lists taken from the queue, where the kept quotes start, and the bytes of replies and events.</summary>
    private readonly record struct Batch(List<byte[]> Frames, List<QuoteFrame> Quotes, int QuoteHead, long Bytes)
    {
        public bool IsEmpty => Frames.Count == 0 && Quotes.Count <= QuoteHead;
    }
}
