using System.Runtime.InteropServices;

namespace Dealwire.Gateway.Outbound;

/// <summary>
/// Replies of requests that run concurrently on one connection, released to its <see cref="OutboundQueue"/>
/// in request order: the oldest unfinished request writes straight through, later ones hold their frames
/// until every earlier request has finished. A protocol whose clients may rely on order (the Manager API,
/// whose spec never says replies may overtake each other) gets concurrency in the engine and the journal
/// (one group commit for many requests) without reordering on the wire. Events pushed meanwhile do not go
/// through here: they were never ordered against replies.
/// </summary>
public sealed class ReplySequencer(OutboundQueue queue)
{
    private readonly object _gate = new();
    private readonly Queue<ReplySlot> _open = new();

    /// <summary>Requests opened and not yet released (monitoring and tests).</summary>
    public int Open
    {
        get
        {
            lock (_gate) return _open.Count;
        }
    }

    /// <summary>Opens the reply slot of the next request, in arrival order; dispose it when the request is answered.</summary>
    public ReplySlot Next()
    {
        var slot = new ReplySlot(this);
        lock (_gate)
        {
            _open.Enqueue(slot);
            slot.IsHead = _open.Count == 1;
        }
        return slot;
    }

    internal void Add(ReplySlot slot, byte[] frame)
    {
        lock (_gate)
        {
            if (slot.IsHead) queue.EnqueueFrame(frame);
            else (slot.Held ??= new List<byte[]>()).Add(frame);
        }
    }

    internal void Close(ReplySlot slot)
    {
        lock (_gate)
        {
            slot.Closed = true;
            while (_open.Count > 0 && _open.Peek().Closed)
            {
                _open.Dequeue();
                if (_open.Count == 0) break;
                var next = _open.Peek();
                next.IsHead = true;
                if (next.Held is { } held)
                {
                    // A queue that overflows completes itself; the connection's read loop sees it and closes.
                    queue.EnqueueFrames(CollectionsMarshal.AsSpan(held));
                    next.Held = null;
                }
            }
        }
    }
}

/// <summary>Where one request's replies go; see <see cref="ReplySequencer"/>.</summary>
public sealed class ReplySlot : IDisposable
{
    internal ReplySlot(ReplySequencer sequencer) => Sequencer = sequencer;

    public ReplySequencer Sequencer { get; }

    // Guarded by the sequencer's lock.
    internal bool IsHead;
    internal bool Closed;
    internal List<byte[]>? Held;

    public void Send(byte[] frame) => Sequencer.Add(this, frame);

    public void Dispose() => Sequencer.Close(this);
}
