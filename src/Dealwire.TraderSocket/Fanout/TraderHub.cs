using System.Collections.Concurrent;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Gateway.Fanout;
using Dealwire.Gateway.Sessions;
using Dealwire.ReadModel.Live;
using Dealwire.TraderSocket.Session;
using Dealwire.TraderSocket.Wire;
using Microsoft.Extensions.Logging;

namespace Dealwire.TraderSocket.Fanout;

/// <summary>
/// The JSON socket's consumer of the live view (trading events, after their batch is applied) and of the engine's
/// ticks (prices). The view's apply task only hands over the batch with the accounts its events name; one dispatcher
/// task renders each event once and queues it to the trading sessions whose key's mask covers the account's group
/// (found through the gateway router, indexed by group), and renders each tick once for every prices session.
/// </summary>
public sealed partial class TraderHub : ILiveObserver, IQuoteSink, IAsyncDisposable
{
    private readonly ILiveView _view;
    private readonly ILogger<TraderHub> _logger;
    private readonly FanoutWorker<AppliedEvents, Quote> _worker;
    private readonly SessionRegistry<TraderSession> _trading = new();
    private readonly SessionRegistry<TraderSession> _prices = new();

    public TraderHub(ILiveView view, ILogger<TraderHub> logger)
    {
        _view = view;
        _logger = logger;
        _worker = new(LoadPrices, DispatchEvents, DispatchQuotes, ex => _logger.LogError(ex, "JSON socket fan-out failed on one batch"));
    }

    /// <summary>Open connections of both endpoints (monitoring and tests).</summary>
    public int Connections => _trading.Count + _prices.Count;

    /// <summary>Authenticated sessions of both endpoints (the key watch re-checks them).</summary>
    internal IEnumerable<TraderSession> Sessions => _trading.Routed.Concat(_prices.Routed);

    public void Register(TraderSession session) => Registry(session).TryAdd(session);

    public void Unregister(TraderSession session) => Registry(session).Remove(session);

    private SessionRegistry<TraderSession> Registry(TraderSession session) =>
        session.Endpoint == TraderEndpoint.Trading ? _trading : _prices;

    public void Start() => _worker.Start();

    public ValueTask DisposeAsync() => _worker.DisposeAsync();

    public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events)
    {
        if (events.Count == 0 || _trading.Count == 0) return;
        _worker.Post(AppliedEvents.Capture(_view, events));
    }

    public void OnQuote(string symbol, in Quote quote)
    {
        _worker.OfferQuote(symbol, quote);
    }

}
