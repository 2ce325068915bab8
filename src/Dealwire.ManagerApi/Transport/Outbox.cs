using Dealwire.Gateway.Diagnostics;

namespace Dealwire.ManagerApi.Transport;

/// <summary>A price update prepared once per layout: the JSON object of one instrument's bid/ask.</summary>
public sealed record PriceFragment(string Symbol, byte[] Seed, byte[] Newer);

/// <summary>
/// The bounded outbound queue of one connection. Replies and events are kept in order and never
/// dropped: when more than <see cref="Capacity"/> bytes of them wait (queued, or drained but not yet
/// flushed to the socket) the connection is closed as too slow. Bytes, not messages: one large
/// table reply weighs what it costs. Prices are conflated —
/// only the latest per instrument waits — so a slow reader costs neither memory nor engine time.
/// Producers (engine fan-out, request handlers) never block.
/// </summary>
public sealed class Outbox
{
    private readonly object _gate = new();
    private readonly Queue<byte[]> _frames = new();
    private readonly Dictionary<string, PriceFragment> _prices = new(StringComparer.Ordinal);
    private readonly List<string> _priceOrder = new();
    private TaskCompletionSource _signal = NewSignal();
    private bool _completed;
    private long _pendingBytes;

    /// <param name="capacity">Bytes of replies and events that may wait for the reader.</param>
    public Outbox(long capacity) => Capacity = capacity;

    public long Capacity { get; }

    /// <summary>Bytes of replies and events queued or being written (monitoring and tests).</summary>
    public long PendingBytes
    {
        get
        {
            lock (_gate) return _pendingBytes;
        }
    }

    /// <summary>Why the outbox stopped taking frames (overflow), or null.</summary>
    public string? OverflowReason { get; private set; }

    public bool IsCompleted
    {
        get
        {
            lock (_gate) return _completed;
        }
    }

    /// <summary>Queues a reply or event; false when the connection is closed or has just overflowed.</summary>
    public bool Enqueue(byte[] frame)
    {
        lock (_gate)
        {
            if (_completed) return false;
            if (_pendingBytes + frame.Length > Capacity)
            {
                OverflowReason = $"outbound queue over {Capacity} bytes (MaxPendingReplyBytes): reader too slow";
                GatewayMetrics.SlowReaderClosed(GatewayProtocol.ManagerApi);
                CompleteLocked();
                return false;
            }
            _pendingBytes += frame.Length;
            _frames.Enqueue(frame);
            SignalLocked();
            return true;
        }
    }

    /// <summary>Offers the latest price of an instrument; an older unsent price of the same instrument is replaced.</summary>
    public void OfferPrice(PriceFragment price)
    {
        lock (_gate)
        {
            if (_completed) return;
            if (!_prices.ContainsKey(price.Symbol)) _priceOrder.Add(price.Symbol);
            else GatewayMetrics.QuotesConflated(GatewayProtocol.ManagerApi);
            _prices[price.Symbol] = price;
            SignalLocked();
        }
    }

    /// <summary>Stops the outbox; the writer sends what is queued and ends.</summary>
    public void Complete()
    {
        lock (_gate) CompleteLocked();
    }

    /// <summary>Waits until something is queued or the outbox is completed.</summary>
    public Task WaitAsync()
    {
        lock (_gate) return _frames.Count > 0 || _priceOrder.Count > 0 || _completed ? Task.CompletedTask : _signal.Task;
    }

    /// <summary>Moves everything queued into the given lists; false when completed and empty.</summary>
    public bool Drain(List<byte[]> frames, List<PriceFragment> prices)
    {
        lock (_gate)
        {
            while (_frames.Count > 0) frames.Add(_frames.Dequeue());
            foreach (var symbol in _priceOrder) prices.Add(_prices[symbol]);
            _priceOrder.Clear();
            _prices.Clear();
            if (_signal.Task.IsCompleted && !_completed) _signal = NewSignal();
            return frames.Count > 0 || prices.Count > 0 || !_completed;
        }
    }

    /// <summary>The writer flushed <paramref name="bytes"/> of drained frames to the socket: they no longer wait.</summary>
    public void Written(long bytes)
    {
        lock (_gate) _pendingBytes -= bytes;
    }

    internal int QueuedFrames
    {
        get
        {
            lock (_gate) return _frames.Count;
        }
    }

    internal int QueuedPrices
    {
        get
        {
            lock (_gate) return _priceOrder.Count;
        }
    }

    private void CompleteLocked()
    {
        _completed = true;
        _signal.TrySetResult();
    }

    private void SignalLocked() => _signal.TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
