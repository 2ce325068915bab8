using System.Runtime.CompilerServices;
using Dealwire.Gateway.Outbound;

namespace Dealwire.ManagerApi.Session;

public sealed partial class ManagerSession
{
    private enum TopicState { Off, Pending, Active }

    private readonly object _subscriptionGate = new();
    private readonly TopicState[] _topicStates = new TopicState[Topics.Count];
    private readonly long[] _snapshotSequences = new long[Topics.Count];
    private readonly List<(Topic Topic, long Sequence, byte[] Frame)> _heldEvents = new();

    /// <summary>True from the subscribe request on (events are then worth serializing for this session).</summary>
    internal bool Wants(Topic topic) => Volatile.Read(ref Unsafe.As<TopicState, int>(ref _topicStates[(int)topic])) != (int)TopicState.Off;

    /// <summary>True once the topic's snapshot was queued (prices and calculation updates have no sequence).</summary>
    public bool IsSubscribed(Topic topic)
    {
        lock (_subscriptionGate) return _topicStates[(int)topic] == TopicState.Active;
    }

    /// <summary>
    /// Step 1 of a subscription: events of these topics are held from now on, so none is lost between
    /// the engine snapshot and the moment it is queued.
    /// </summary>
    internal void BeginSubscription(IReadOnlyCollection<Topic> topics)
    {
        lock (_subscriptionGate)
        {
            foreach (var t in topics) _topicStates[(int)t] = TopicState.Pending;
        }
    }

    /// <summary>
    /// Step 2: queue the confirmation and snapshots, then the held events newer than the snapshot's
    /// engine sequence, and go live. Events at or below that sequence are already in the snapshot.
    /// </summary>
    internal void CompleteSubscription(IReadOnlyCollection<Topic> topics, long snapshotSequence, IEnumerable<byte[]> confirmationAndSnapshots)
    {
        lock (_subscriptionGate)
        {
            foreach (var frame in confirmationAndSnapshots) Send(frame);
            foreach (var t in topics)
            {
                _snapshotSequences[(int)t] = snapshotSequence;
                _topicStates[(int)t] = TopicState.Active;
            }
            var held = _heldEvents.ToList();
            _heldEvents.Clear();
            foreach (var (topic, sequence, frame) in held) DeliverLocked(topic, sequence, frame);
        }
    }

    /// <summary>
    /// Called by the fan-out with one pass's prices in this connection's layout: queues them if the prices snapshot was
    /// already queued, and writes them on the caller's thread when the writer is idle.
    /// </summary>
    internal void OfferPrices(ReadOnlySpan<QuoteFrame> prices)
    {
        lock (_subscriptionGate)
        {
            if (_topicStates[(int)Topic.Prices] == TopicState.Active) Outbound.EnqueueQuotes(prices, drainInPlace: true);
        }
    }

    /// <summary>Called by the fan-out: queues an event of a topic, holds it, or drops it as already in the snapshot.</summary>
    internal void Deliver(Topic topic, long sequence, byte[] frame)
    {
        lock (_subscriptionGate) DeliverLocked(topic, sequence, frame);
    }

    private void DeliverLocked(Topic topic, long sequence, byte[] frame)
    {
        switch (_topicStates[(int)topic])
        {
            case TopicState.Pending:
                _heldEvents.Add((topic, sequence, frame));
                break;
            case TopicState.Active when sequence > _snapshotSequences[(int)topic]:
                Send(frame);
                break;
        }
    }
}
