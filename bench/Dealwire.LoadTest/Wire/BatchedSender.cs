using System.Net.Sockets;

namespace Dealwire.LoadTest.Wire;

/// <summary>
/// Outbound bytes of one connection in the baseline servers, batched the way Dealwire's outbound queue
/// batches: producers append, one writer loop sends everything that waits in a single send.
/// </summary>
public sealed class BatchedSender(Socket socket)
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private MemoryStream _pending = new(1 << 16);
    private MemoryStream _sending = new(1 << 16);
    private bool _closed;

    public long PendingBytes
    {
        get
        {
            lock (_gate) return _pending.Length;
        }
    }

    public bool Closed => Volatile.Read(ref _closed);

    /// <summary>Appends a frame; beyond <paramref name="maxPending"/> waiting bytes the frame is dropped (false).</summary>
    public bool Enqueue(ReadOnlySpan<byte> frame, long maxPending = 64L << 20)
    {
        bool wake;
        lock (_gate)
        {
            if (_closed || _pending.Length + frame.Length > maxPending) return false;
            wake = _pending.Length == 0;
            _pending.Write(frame);
        }
        if (wake) Release();
        return true;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _signal.WaitAsync(cancellationToken);
                lock (_gate) (_pending, _sending) = (_sending, _pending);
                if (_sending.Length == 0) continue;
                await socket.SendAsync(_sending.GetBuffer().AsMemory(0, (int)_sending.Length), SocketFlags.None, cancellationToken);
                _sending.SetLength(0);
                lock (_gate)
                {
                    if (_pending.Length > 0) Release();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate) _closed = true;
        }
    }

    private void Release()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }
}
