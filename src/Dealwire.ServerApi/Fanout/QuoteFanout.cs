using System.Runtime.InteropServices;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Gateway.Outbound;
using Dealwire.ReadModel.Live;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Fanout;

/// <summary>
/// Quotes to subscribed sessions. The engine thread only appends the quote to a pending list and wakes
/// the fan-out thread when it sleeps. The fan-out thread takes everything pending as one batch,
/// serializes each tick once per distinct price (raw for staff and unmarked groups, one per distinct group
/// markup for users) and hands every session its frames of the batch in one enqueue: one lock and at most one
/// writer wake-up per session per batch, whatever the number of ticks in it. When most readers fall
/// behind (the machine cannot deliver every tick) it pauses, and ticks conflate upstream instead of
/// being serialized only to be conflated in every session's queue.
/// </summary>
internal sealed class QuoteFanout : IQuoteSink, IDisposable
{
    /// <summary>Ticks that may wait for the fan-out thread in order; beyond it they are conflated per symbol.</summary>
    internal const int MaxPendingTicks = 8_192;

    /// <summary>Ticks serialized and queued per pass; between passes the thread checks whether readers keep up.</summary>
    private const int ChunkTicks = 512;

    /// <summary>Ticks waiting for the fan-out thread beyond which a paced replay waits (a pass's worth of frames per reader stays well under the in-order backlog).</summary>
    private const int PacedTicks = 32;

    private readonly EngineRunner _runner;
    private readonly SessionRegistry _sessions;
    private readonly ILiveView _mirror;
    private readonly object _gate = new();
    private readonly AutoResetEvent _signal = new(false);
    private List<(string Symbol, Quote Quote)> _pending = new();
    private List<(string Symbol, Quote Quote)> _draining = new();
    private readonly Dictionary<string, Quote> _overflow = new(StringComparer.Ordinal);
    private bool _awake;
    private Thread? _thread;
    private volatile bool _stopping;
    // Set when a pass found most readers behind; cleared by ReadersBehind once they have taken their quotes.
    private volatile bool _behindSeen;
    // Ticks waiting for the fan-out thread (written under the gate, read by ReadersBehind without it).
    private int _waiting;

    // Fan-out thread state, reused from chunk to chunk.
    private QuoteFrame[] _raw = new QuoteFrame[64];
    private int _count;
    private readonly Dictionary<string, QuoteFrame[]> _groupFrames = new(StringComparer.Ordinal);
    private readonly Dictionary<(PriceAdjustment Price, int Tick), byte[]> _variants = new();
    private readonly List<Session> _touched = new();

    public QuoteFanout(EngineRunner runner, SessionRegistry sessions, ILiveView mirror)
    {
        _runner = runner;
        _sessions = sessions;
        _mirror = mirror;
    }

    /// <summary>Engine thread: queue the quote; wake the fan-out thread only if it is not already awake. Never blocks on a client.</summary>
    public void OnQuote(string symbol, in Quote quote)
    {
        bool wake;
        lock (_gate)
        {
            if (_pending.Count < MaxPendingTicks) _pending.Add((symbol, quote));
            else _overflow[symbol] = quote; // the fan-out thread is far behind: latest wins
            _waiting = _pending.Count;
            wake = !_awake;
            _awake = true;
            if (_thread is null && !_stopping)
            {
                _thread = new Thread(Run) { Name = "serverapi-quote-fanout", IsBackground = true };
                _thread.Start();
            }
        }
        if (wake) _signal.Set();
    }

    private void Run()
    {
        while (!_stopping)
        {
            _signal.WaitOne();
            lock (_gate)
            {
                (_pending, _draining) = (_draining, _pending);
                foreach (var (symbol, quote) in _overflow) _draining.Add((symbol, quote));
                _overflow.Clear();
                _awake = false;
                _waiting = 0;
            }
            var batch = CollectionsMarshal.AsSpan(_draining);
            for (var at = 0; at < batch.Length && !_stopping; at += ChunkTicks)
            {
                if (PublishChunk(batch.Slice(at, Math.Min(ChunkTicks, batch.Length - at))))
                {
                    // Most readers are behind: their sockets, not this thread, set the pace. Serializing
                    // more now would only be conflated away; give the writers the core, and let ticks
                    // arriving meanwhile collect (and, past MaxPendingTicks, conflate) upstream.
                    Thread.Sleep(1);
                }
            }
            _draining.Clear();
        }
    }

    /// <summary>Publishes one tick (tests and benchmarks); the engine path goes through <see cref="OnQuote"/>.</summary>
    public void Publish(string symbol, Quote raw) => PublishChunk([(symbol, raw)]);

    /// <summary>
    /// Serializes each tick of the chunk once per price variant and queues each session's frames in one
    /// go. True when most sessions that received frames are behind (conflating).
    /// </summary>
    internal bool PublishChunk(ReadOnlySpan<(string Symbol, Quote Quote)> chunk)
    {
        var all = _sessions.AllQuoteSubscribers;
        // Nobody listens (a fresh server, a feed running ahead of its clients): nothing to serialize.
        if (all.Length == 0 && !_sessions.HasSymbolSubscribers) return false;
        var pricing = _runner.Pricing;
        _count = 0;
        _groupFrames.Clear();
        _variants.Clear();
        if (_raw.Length < chunk.Length) _raw = new QuoteFrame[Math.Max(chunk.Length, _raw.Length * 2)];
        foreach (var (symbol, quote) in chunk) _raw[_count++] = new QuoteFrame(symbol, PushWire.Quote(symbol, quote));
        int reached = 0, behind = 0;
        try
        {
            // SubscribeAll sessions: staff share the raw frames of the whole chunk, users their group's variant.
            foreach (var session in all)
            {
                var frames = FramesFor(session, chunk, pricing);
                if (frames.IsEmpty) continue;
                reached++;
                if (session.Outbound.EnqueueQuotes(frames, drainInPlace: true)) behind++;
            }

            // Sessions subscribed to some symbols: gather each one's frames, then one enqueue per session.
            for (var i = 0; i < _count; i++)
            {
                foreach (var session in _sessions.SubscribersOf(_raw[i].Symbol))
                {
                    if (FrameFor(session, i, chunk, pricing) is not { } frame) continue;
                    var scratch = session.FanoutScratch;
                    if (scratch.Count == 0) _touched.Add(session);
                    scratch.Add(frame);
                }
            }
            foreach (var session in _touched)
            {
                reached++;
                if (session.Outbound.EnqueueQuotes(CollectionsMarshal.AsSpan(session.FanoutScratch), drainInPlace: true)) behind++;
                session.FanoutScratch.Clear();
            }
        }
        finally
        {
            _touched.Clear();
            Array.Clear(_raw, 0, _count);
        }
        // A majority, so that one connection that never reads cannot hold back the others' ticks.
        var most = behind * 2 > reached;
        if (most) _behindSeen = true;
        return most;
    }

    /// <summary>
    /// True while this thread has more than <see cref="PacedTicks"/> ticks waiting, or most quote readers still have
    /// more waiting than half their in-order backlog. Free while they keep up;
    /// once a pass has found them behind, each call looks at the queues again (a paced replay asks about once a
    /// millisecond), so it turns false as soon as the writers have taken the quotes, even with no new tick.
    /// </summary>
    public bool ReadersBehind
    {
        get
        {
            // The fan-out thread itself has a pass's worth of ticks waiting: it is the bottleneck.
            if (Volatile.Read(ref _waiting) >= PacedTicks) return true;
            if (!_behindSeen) return false;
            int reached = 0, behind = 0;
            // Routed: the identified sessions, a cached snapshot (All would copy the registry under its lock per call).
            foreach (var session in _sessions.Routed)
            {
                if (session.Scope is null || !session.SubscribesToQuotes) continue;
                reached++;
                if (session.Outbound.QuotesBehind) behind++;
            }
            if (behind * 2 > reached) return true;
            _behindSeen = false;
            return false;
        }
    }

    /// <summary>Every frame of the chunk as this SubscribeAll session sees it; empty when it has no identity yet.</summary>
    private ReadOnlySpan<QuoteFrame> FramesFor(Session session, ReadOnlySpan<(string Symbol, Quote Quote)> chunk, PricingTable pricing)
    {
        var scope = session.Scope;
        if (scope is null) return default;
        if (!scope.IsUser) return _raw.AsSpan(0, _count);
        var group = _mirror.GroupOf(scope.Identity.Id);
        if (group is null) return default;
        if (!_groupFrames.TryGetValue(group, out var frames))
        {
            frames = new QuoteFrame[_count];
            for (var i = 0; i < _count; i++) frames[i] = VariantFor(group, i, chunk, pricing);
            _groupFrames[group] = frames;
        }
        return frames;
    }

    private QuoteFrame? FrameFor(Session session, int index, ReadOnlySpan<(string Symbol, Quote Quote)> chunk, PricingTable pricing)
    {
        var scope = session.Scope;
        if (scope is null) return null;
        if (!scope.IsUser) return _raw[index];
        // A user sees its group's prices; groups without a markup on this symbol share the raw bytes.
        var group = _mirror.GroupOf(scope.Identity.Id);
        if (group is null) return null;
        return VariantFor(group, index, chunk, pricing);
    }

    private QuoteFrame VariantFor(string group, int index, ReadOnlySpan<(string Symbol, Quote Quote)> chunk, PricingTable pricing)
    {
        var (symbol, raw) = chunk[index];
        var adjustment = pricing.AdjustmentFor(group, symbol);
        if (adjustment.IsNone) return _raw[index];
        // Keyed by group price and tick, not group name: groups with the same markup share one serialization,
        // and a chunk holds many ticks of the same symbol.
        var key = (adjustment, index);
        if (!_variants.TryGetValue(key, out var frame))
        {
            frame = PushWire.Quote(symbol, adjustment.Apply(raw, pricing.FindSymbol(symbol)?.Digits ?? 5));
            _variants[key] = frame;
        }
        return new QuoteFrame(symbol, frame);
    }

    /// <summary>Stops the fan-out thread. Idempotent: DI disposes it once per registration.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
        }
        _signal.Set();
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(2))) _signal.Dispose();
    }
}
