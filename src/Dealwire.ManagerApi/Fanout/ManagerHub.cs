using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Gateway.Fanout;
using Dealwire.Gateway.Outbound;
using Dealwire.Gateway.Sessions;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Dealwire.ReadModel.Live;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Fanout;

/// <summary>
/// The Manager API's consumer of the live view (events, after their batch is applied) and of the engine's ticks.
/// The view's apply task only hands over the batch with the accounts its events name, resolved at that moment
/// (no serialization, no locks held long); a dispatcher task turns each event into at most one frame per dialect
/// and queues it to every subscribed connection whose group mask covers the account.
/// Connections are found through the gateway's router (indexed by group), not by a scan of every connection.
/// </summary>
public sealed partial class ManagerHub : ILiveObserver, IQuoteSink, IAsyncDisposable
{
    private readonly ILiveView _view;
    private readonly ILogger<ManagerHub> _logger;
    private readonly FanoutWorker<AppliedEvents, Quote> _worker;
    private readonly ConcurrentDictionary<string, PriceView> _lastPrices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SymbolConfig> _symbols = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GroupConfig> _groups = new(StringComparer.Ordinal);
    private readonly SessionRegistry<ManagerSession> _registry = new();
    // One quote pass: its prices, and their fragments per layout once a subscriber of it asks; the dispatcher's only.
    private readonly List<PriceView> _passPrices = new();
    private readonly List<QuoteFrame> _seedPass = new();
    private readonly List<QuoteFrame> _newerPass = new();

    public ManagerHub(ILiveView view, ILogger<ManagerHub> logger)
    {
        _view = view;
        _logger = logger;
        _worker = new(Load, DispatchEvents, DispatchQuotes, ex => _logger.LogError(ex, "Manager API fan-out failed on one batch"));
    }

    /// <summary>Raised on the dispatcher for each batch's <see cref="AccountFiguresEvent"/> (calculation updates follow it).</summary>
    internal event Action<AccountFiguresEvent>? FiguresApplied;

    /// <summary>Authenticated connections.</summary>
    internal IReadOnlyList<ManagerSession> Sessions => _registry.Routed;

    /// <summary>Every open connection, signed in or not (the console's online sessions).</summary>
    internal ManagerSession[] AllSessions => _registry.All;

    /// <summary>Open connections, authenticated or not (monitoring and tests).</summary>
    public int Connections => _registry.Count;

    /// <summary>Events handed over but not yet dispatched (monitoring and tests).</summary>
    public int Backlog => _worker.Backlog;

    public void Register(ManagerSession session) => _registry.TryAdd(session);

    public void Unregister(ManagerSession session) => _registry.Remove(session);

    /// <summary>Routes a connection's events by its key's group mask (null: none, its access ended).</summary>
    public void Route(ManagerSession session, Audience? audience) => _registry.Route(session, audience);

    /// <summary>Starts the dispatcher: loads the directory, symbols and last prices, then follows the engine.</summary>
    public void Start() => _worker.Start();

    public ValueTask DisposeAsync() => _worker.DisposeAsync();

    public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events)
    {
        if (events.Count == 0) return;
        _worker.Post(AppliedEvents.Capture(_view, events));
    }

    public void OnQuote(string symbol, in Quote quote)
    {
        _worker.OfferQuote(symbol, quote);
    }

    /// <summary>The latest raw price of every instrument (the prices snapshot).</summary>
    internal List<PriceView> LastPrices() => _lastPrices.Values.OrderBy(p => p.Symbol, StringComparer.Ordinal).ToList();

    internal PriceView? LastPrice(string symbol) => _lastPrices.TryGetValue(symbol, out var p) ? p : null;

    private void Load()
    {
        var (_, state) = _view.ReadConsistent(r => (
            Groups: r.GetGroups().ToList(),
            Symbols: r.GetSymbols().ToList(),
            Quotes: r.GetSymbols().Select(s => (s.Name, Quote: r.GetQuote(s.Name))).ToList()));
        foreach (var g in state.Groups) _groups[g.Name] = g;
        foreach (var s in state.Symbols) _symbols[s.Name] = s;
        foreach (var (name, quote) in state.Quotes)
        {
            if (quote is { IsSet: true } q) _lastPrices.TryAdd(name, Price(name, q));
        }
    }

    /// <summary>
    /// Each waiting price is serialized once per layout that a subscriber uses (the JSON object of one instrument's
    /// bid/ask); every subscribed connection then queues the whole pass in its layout in one go, written and flushed on
    /// this thread when its writer is idle (no writer wake-up per connection per pass). Its writer wraps the waiting
    /// fragments in one <c>last_prices</c> envelope (<see cref="Transport.PriceEnvelopeWriter"/>); a reader that is behind
    /// conflates them.
    /// </summary>
    private void DispatchQuotes()
    {
        // Cleared however the pass ends: a pass that failed half-way must not leave its prices to the next one.
        try
        {
            foreach (var (symbol, quote) in _worker.TakeQuotes())
            {
                var price = Price(symbol, quote);
                _lastPrices[symbol] = price;
                _passPrices.Add(price);
            }
            if (_passPrices.Count == 0) return;
            foreach (var session in Sessions)
            {
                if (!session.Wants(Topic.Prices) || session.Dialect is not { } dialect) continue;
                session.OfferPrices(dialect.IsSeed ? PassIn(WireDialect.Seed, _seedPass) : PassIn(WireDialect.NewerUuidOnly, _newerPass));
            }
        }
        finally
        {
            _passPrices.Clear();
            _seedPass.Clear();
            _newerPass.Clear();
        }
    }

    /// <summary>The pass's prices as fragments of one layout, serialized when the first subscriber of that layout asks.</summary>
    private ReadOnlySpan<QuoteFrame> PassIn(WireDialect layout, List<QuoteFrame> fragments)
    {
        if (fragments.Count == 0)
        {
            foreach (var price in _passPrices) fragments.Add(new QuoteFrame(price.Symbol, Fragment(layout, price)));
        }
        return CollectionsMarshal.AsSpan(fragments);
    }

    private PriceView Price(string symbol, Quote quote) =>
        _symbols.TryGetValue(symbol, out var s) ? new PriceView(symbol, quote, s.BaseCurrency, s.ProfitCurrency) : new PriceView(symbol, quote, "", "");

    private static byte[] Fragment(WireDialect d, PriceView price)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer)) TradingModels.WritePrice(w, d, price);
        return buffer.WrittenSpan.ToArray();
    }

    private GroupConfig? Group(string name) => _groups.TryGetValue(name, out var g) ? g : null;


    /// <summary>
    /// Whether any identified manager takes <paramref name="topic"/>: an event's views are built only for an audience
    /// (a server whose managers watch nothing, or only prices, pays nothing per trade).
    /// </summary>
    private bool AnyoneWants(Topic topic)
    {
        var sessions = _registry.Routed;
        for (var i = 0; i < sessions.Length; i++)
        {
            if (sessions[i].Dialect is not null && sessions[i].Wants(topic)) return true;
        }
        return false;
    }

    /// <summary>
    /// Queues one event to every session subscribed to <paramref name="topic"/> that may see
    /// <paramref name="group"/>; the frame is built at most once per dialect.
    /// </summary>
    private void Fan(Topic topic, long sequence, string group, Func<WireDialect, byte[]> build)
    {
        var frames = new byte[]?[WireDialect.All.Count];
        foreach (var session in _registry.StaffOf(group))
        {
            if (session.Dialect is not { } d || !session.Wants(topic)) continue;
            var frame = frames[d.Index] ??= build(d);
            session.Deliver(topic, sequence, frame);
        }
    }
}
