using System.Runtime.InteropServices;
using Dealwire.Engine.Model;
using Dealwire.Gateway.Outbound;
using Dealwire.Gateway.Sessions;
using Dealwire.TraderSocket.Session;
using Dealwire.TraderSocket.Wire;

namespace Dealwire.TraderSocket.Fanout;

public sealed partial class TraderHub
{
    // Serializes "latest price per symbol" updates with a prices session joining, so its snapshot is never older
    // than a tick it already got live (the snapshot and the live ticks of one symbol leave in order).
    private readonly object _priceGate = new();
    private readonly Dictionary<string, Quote> _lastQuotes = new(StringComparer.Ordinal);
    // One quote pass's frames, reused by the dispatcher under the price gate.
    private readonly List<QuoteFrame> _pass = new();

    /// <summary>
    /// Starts the prices stream of an authenticated session: the last price of every symbol, then every tick.
    /// Prices are the raw feed (one price per symbol for every key), so the key's mask does not filter them.
    /// </summary>
    public void OpenPrices(TraderSession session)
    {
        lock (_priceGate)
        {
            foreach (var (symbol, quote) in _lastQuotes.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                session.OfferQuote(symbol, Frame(symbol, quote, _view.GetSymbol(symbol)));
            }
            _prices.Route(session, Audience.BroadcastsOnly(session.Number));
        }
    }

    /// <summary>The view's last prices when the dispatcher starts; ticks keep them current from then on.</summary>
    private void LoadPrices()
    {
        var (_, quotes) = _view.ReadConsistent(r => r.GetSymbols().Select(s => (s.Name, Quote: r.GetQuote(s.Name))).ToList());
        lock (_priceGate)
        {
            foreach (var (symbol, quote) in quotes)
            {
                if (quote is { IsSet: true } q) _lastQuotes.TryAdd(symbol, q);
            }
        }
    }

    /// <summary>
    /// Each waiting tick is serialized once, whatever the number of readers; then every prices session queues the
    /// whole pass in one go, written and flushed on this thread when its writer is idle (no writer wake-up per
    /// connection per pass).
    /// </summary>
    private void DispatchQuotes()
    {
        lock (_priceGate)
        {
            var sessions = _prices.Routed;
            // Cleared however the pass ends: a pass that failed half-way must not leave its frames to the next one.
            try
            {
                foreach (var (symbol, quote) in _worker.TakeQuotes())
                {
                    _lastQuotes[symbol] = quote;
                    if (sessions.Length > 0) _pass.Add(new QuoteFrame(symbol, Frame(symbol, quote, _view.GetSymbol(symbol))));
                }
                foreach (var session in sessions) session.OfferQuotes(CollectionsMarshal.AsSpan(_pass));
            }
            finally
            {
                _pass.Clear();
            }
        }
    }

    private static byte[] Frame(string symbol, Quote quote, SymbolConfig? config) =>
        ServerFrames.Message("bid_ask", (symbol, quote, config), TraderModels.WriteBidAsk);
}
