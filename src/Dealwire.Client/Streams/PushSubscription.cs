using System.Threading.Channels;

namespace Dealwire.Client;

/// <summary>A buffered subscriber of a <see cref="PushStream{T}"/>; enumerate it with <c>await foreach</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class PushSubscription<T> : IAsyncEnumerable<T>, IDisposable
{
    private readonly PushStream<T> _stream;
    private readonly Channel<T> _channel;
    private readonly Func<T, bool>? _filter;
    private readonly CancellationToken _cancellationToken;

    internal PushSubscription(PushStream<T> stream, Channel<T> channel, Func<T, bool>? filter, int capacity, CancellationToken cancellationToken)
    {
        Capacity = capacity;
        _stream = stream;
        _channel = channel;
        _filter = filter;
        _cancellationToken = cancellationToken;
    }

    internal int Capacity { get; }

    /// <summary>The channel reader, for callers that prefer <c>ReadAsync</c>/<c>TryRead</c> to enumeration.</summary>
    public ChannelReader<T> Reader => _channel.Reader;

    internal bool Offer(T item) => (_filter is null || _filter(item)) ? _channel.Writer.TryWrite(item) : true;

    internal void Fault(Exception? error) => _channel.Writer.TryComplete(error);

    /// <inheritdoc/>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                while (_channel.Reader.TryRead(out var item)) yield return item;
            }
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Stops receiving; an enumeration in progress ends after the buffered items.</summary>
    public void Dispose()
    {
        _stream.Remove(this);
        _channel.Writer.TryComplete();
    }
}
