using System.Threading.Channels;

namespace Dealwire.Client;

/// <summary>
/// One kind of pushed item (quotes, notifications, trade events, …), offered both as a .NET event
/// (<see cref="Received"/>) and as any number of buffered async streams (<see cref="ReadAllAsync(CancellationToken)"/>).
/// Handlers and stream writes run on the client's reader loop: keep handlers short.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class PushStream<T>
{
    private readonly object _gate = new();
    private readonly bool _lossless;
    private readonly int _defaultCapacity;
    private readonly Action<Exception> _handlerFailed;
    private PushSubscription<T>[] _subscribers = [];
    private bool _completed;

    internal PushStream(string name, bool lossless, int defaultCapacity, Action<Exception> handlerFailed)
    {
        Name = name;
        _lossless = lossless;
        _defaultCapacity = defaultCapacity;
        _handlerFailed = handlerFailed;
    }

    /// <summary>Stream name, for diagnostics.</summary>
    public string Name { get; }

    /// <summary>Raised for every item, on the reader loop. An exception thrown by a handler is reported through <see cref="ServerApiClient.Error"/> and does not stop the client.</summary>
    public event EventHandler<T>? Received;

    /// <summary>
    /// Registers a buffered subscriber now (items pushed from this call on are kept) and returns it for
    /// <c>await foreach</c>. Quote streams keep the newest items when a reader falls behind; every other stream
    /// is lossless and ends with <see cref="StreamOverflowException"/> rather than skip an item.
    /// Disposing the subscription (or ending the enumeration) unregisters it.
    /// </summary>
#pragma warning disable RS0026 // Shipped this way: the token-only overload is the common call; both stay for source compatibility.
    public PushSubscription<T> ReadAllAsync(CancellationToken cancellationToken = default) => ReadAllAsync(null, 0, cancellationToken);

    /// <summary>As <see cref="ReadAllAsync(CancellationToken)"/>, keeping only items matching <paramref name="filter"/>.</summary>
    /// <param name="filter">Items for which it returns false never take buffer space; <c>null</c> keeps all.</param>
    /// <param name="capacity">Buffer size; 0 = the client's <see cref="ServerApiClientOptions.StreamCapacity"/>.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    public PushSubscription<T> ReadAllAsync(Func<T, bool>? filter, int capacity = 0, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        capacity = capacity == 0 ? _defaultCapacity : capacity;
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            SingleReader = true,
            FullMode = _lossless ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
        });
        var subscription = new PushSubscription<T>(this, channel, filter, capacity, cancellationToken);
        lock (_gate)
        {
            if (_completed) channel.Writer.TryComplete();
            else _subscribers = [.. _subscribers, subscription];
        }
        return subscription;
    }

    /// <summary>Calls <paramref name="handler"/> for items matching <paramref name="filter"/> until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action<T> handler, Func<T, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        EventHandler<T> wrapper = filter is null ? (_, item) => handler(item) : (_, item) => { if (filter(item)) handler(item); };
        Received += wrapper;
        return new Unsubscriber(() => Received -= wrapper);
    }

    internal void Publish(T item)
    {
        var handlers = Received;
        if (handlers is not null)
        {
            foreach (var handler in handlers.GetInvocationList())
            {
                try
                {
                    ((EventHandler<T>)handler)(this, item);
                }
                catch (Exception e)
                {
                    _handlerFailed(e);
                }
            }
        }
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (!subscriber.Offer(item) && _lossless)
            {
                subscriber.Fault(new StreamOverflowException($"The {Name} stream subscriber fell {subscriber.Capacity} items behind and was closed so that no item is skipped silently."));
                Remove(subscriber);
            }
        }
    }

    internal void Complete(Exception? error)
    {
        PushSubscription<T>[] subscribers;
        lock (_gate)
        {
            _completed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }
        foreach (var subscriber in subscribers) subscriber.Fault(error);
    }

    internal void Remove(PushSubscription<T> subscription)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
