using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Fanout;

/// <summary>
/// Quotes to subscribed sessions. The engine thread only records the latest quote per symbol and
/// signals; a fan-out thread serializes each tick once per distinct price variant (raw for staff,
/// one per group markup for users) and hands the same bytes to every subscriber's conflating queue.
/// </summary>
internal sealed class QuoteFanout : IQuoteSink, IDisposable
{
    private readonly EngineRunner _runner;
    private readonly SessionRegistry _sessions;
    private readonly EngineMirror _mirror;
    private readonly object _gate = new();
    private readonly AutoResetEvent _signal = new(false);
    private readonly Dictionary<string, byte[]> _variants = new(StringComparer.Ordinal);
    private Dictionary<string, Quote> _pending = new(StringComparer.Ordinal);
    private Dictionary<string, Quote> _draining = new(StringComparer.Ordinal);
    private Thread? _thread;
    private volatile bool _stopping;

    public QuoteFanout(EngineRunner runner, SessionRegistry sessions, EngineMirror mirror)
    {
        _runner = runner;
        _sessions = sessions;
        _mirror = mirror;
    }

    /// <summary>Engine thread: remember the newest quote and wake the fan-out thread. Never blocks on a client.</summary>
    public void OnQuote(string symbol, in Quote quote)
    {
        lock (_gate)
        {
            _pending[symbol] = quote;
            if (_thread is null && !_stopping)
            {
                _thread = new Thread(Run) { Name = "serverapi-quote-fanout", IsBackground = true };
                _thread.Start();
            }
        }
        _signal.Set();
    }

    private void Run()
    {
        while (!_stopping)
        {
            _signal.WaitOne();
            lock (_gate) (_pending, _draining) = (_draining, _pending);
            foreach (var (symbol, quote) in _draining) Publish(symbol, quote);
            _draining.Clear();
        }
    }

    /// <summary>Serializes one tick per price variant and queues it for every subscriber.</summary>
    public void Publish(string symbol, Quote raw)
    {
        var exact = _sessions.SubscribersOf(symbol);
        var all = _sessions.AllQuoteSubscribers;
        if (exact.Length == 0 && all.Length == 0) return;

        var pricing = _runner.Pricing;
        byte[]? rawFrame = null;
        _variants.Clear();
        foreach (var session in exact)
        {
            if (FrameFor(session, symbol, raw, pricing, ref rawFrame) is { } frame) session.Outbound.EnqueueQuote(symbol, frame);
        }
        foreach (var session in all)
        {
            if (FrameFor(session, symbol, raw, pricing, ref rawFrame) is { } frame) session.Outbound.EnqueueQuote(symbol, frame);
        }
    }

    private byte[]? FrameFor(Session session, string symbol, Quote raw, PricingTable pricing, ref byte[]? rawFrame)
    {
        var scope = session.Scope;
        if (scope is null) return null;
        if (!scope.IsUser) return rawFrame ??= PushWire.Quote(symbol, raw);

        // A user sees its group's prices; groups without a markup on this symbol share the raw bytes.
        var group = _mirror.GroupOf(scope.Identity.Id);
        if (group is null) return null;
        if (pricing.AdjustmentFor(group, symbol).IsNone) return rawFrame ??= PushWire.Quote(symbol, raw);
        if (!_variants.TryGetValue(group, out var frame))
        {
            frame = PushWire.Quote(symbol, pricing.ForGroup(group, symbol, raw));
            _variants[group] = frame;
        }
        return frame;
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
