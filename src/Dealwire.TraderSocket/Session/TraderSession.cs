using Dealwire.Engine.Model;
using Dealwire.Gateway.Outbound;
using Dealwire.Security;
using Dealwire.TraderSocket.Wire;

namespace Dealwire.TraderSocket.Session;

/// <summary>
/// One JSON-socket connection after the transport: its key and mask, its outbound queue, the snapshot-then-live
/// gate of its event stream and its heartbeat count. The fan-out calls <see cref="Deliver"/>, <see cref="OfferQuote"/>
/// and <see cref="OfferQuotes"/> from its dispatcher; the connection handler calls the rest.
/// </summary>
public sealed class TraderSession
{
    private enum StreamState { Off, Holding, Live }

    private static long _nextId;

    private readonly object _gate = new();
    private readonly List<(long Sequence, byte[] Frame)> _held = new();
    private readonly Action _onClose;
    private StreamState _state;
    private long _snapshotSequence;
    private int _unansweredPings;
    private string? _closeReason;

    public TraderSession(TraderEndpoint endpoint, OutboundQueue outbound, string connectionId, Action onClose)
    {
        Endpoint = endpoint;
        Outbound = outbound;
        ConnectionId = connectionId;
        _onClose = onClose;
    }

    /// <summary>A number unique in the process (the router's audience id).</summary>
    public long Number { get; } = Interlocked.Increment(ref _nextId);

    public TraderEndpoint Endpoint { get; }

    public OutboundQueue Outbound { get; }

    public string ConnectionId { get; }

    /// <summary>The key the connection authenticated with; null before <c>auth_request</c> succeeded.</summary>
    public IntegrationKey? Key { get; private set; }

    /// <summary>The key's mask: which accounts' events (and which groups' prices) this connection receives.</summary>
    public GroupMask Mask { get; private set; } = new("!*");

    /// <summary>The <c>session_id</c> answered in <c>auth_result</c>.</summary>
    public string? SessionId { get; private set; }

    public bool IsAuthenticated => Key is not null;

    /// <summary>Why the connection is ending (set once, by whoever ends it first), or null while it runs.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Pings sent since the last <c>Pong</c>.</summary>
    public int UnansweredPings => Volatile.Read(ref _unansweredPings);

    public void Authenticate(IntegrationKey key)
    {
        Key = key;
        Mask = new GroupMask(key.GroupMask);
        SessionId = Guid.NewGuid().ToString();
    }

    /// <summary>Ends the connection with <paramref name="reason"/> in the log; the first reason wins.</summary>
    public void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is null) _onClose();
    }

    /// <summary>Queues a frame that must not be lost; a reader too far behind ends the connection with the queue's reason.</summary>
    public void Send(byte[] frame)
    {
        if (!Outbound.EnqueueFrame(frame) && Outbound.OverflowReason is { } overflow) Close(overflow);
    }

    public void SendPing()
    {
        Interlocked.Increment(ref _unansweredPings);
        Send(ServerFrames.Ping());
    }

    public void PongReceived() => Volatile.Write(ref _unansweredPings, 0);

    /// <summary>Step 1 of the stream: events routed from now on are held, so none is lost while the snapshot is read.</summary>
    public void HoldEvents()
    {
        lock (_gate) _state = StreamState.Holding;
    }

    /// <summary>
    /// Step 2: queue the snapshot (the state at <paramref name="sequence"/>), then the held events above that sequence,
    /// and go live. Events at or below it are in the snapshot already; events above it are all held or still to come.
    /// </summary>
    public void GoLive(long sequence, IEnumerable<byte[]> snapshot)
    {
        lock (_gate)
        {
            foreach (var frame in snapshot) Send(frame);
            _snapshotSequence = sequence;
            _state = StreamState.Live;
            foreach (var (s, frame) in _held)
            {
                if (s > sequence) Send(frame);
            }
            _held.Clear();
        }
    }

    /// <summary>The fan-out's entry for trading events, in sequence order.</summary>
    public void Deliver(long sequence, byte[] frame)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case StreamState.Holding:
                    _held.Add((sequence, frame));
                    break;
                case StreamState.Live when sequence > _snapshotSequence:
                    Send(frame);
                    break;
            }
        }
    }

    /// <summary>The fan-out's entry for prices: kept in order while the reader keeps up, latest per symbol once it is behind.</summary>
    public void OfferQuote(string symbol, byte[] frame) => Outbound.EnqueueQuote(symbol, frame);

    /// <summary>
    /// A fan-out pass's prices in one go, written and flushed on the caller's thread (the fan-out's, never the engine's)
    /// when the writer is idle.
    /// </summary>
    public void OfferQuotes(ReadOnlySpan<QuoteFrame> quotes) => Outbound.EnqueueQuotes(quotes, drainInPlace: true);
}
