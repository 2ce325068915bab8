using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// A long, reproducible random broker session on an <see cref="EngineStream"/>: accounts, deposits, withdrawals and
/// credit, deals opened and closed (partly, fully, by stop-out after gaps), pending orders placed and cancelled, ticks,
/// days passing (rollovers, swaps, end of day) and manager edits, deletions and restores of closed deals.
/// </summary>
internal sealed class RandomBrokerSession(EngineStream s, int seed)
{
    private static readonly (string Symbol, decimal Bid, decimal Point)[] Prices =
    [
        ("EURUSD", 1.10000m, 0.00001m), ("GBPUSD", 1.25000m, 0.00001m), ("USDJPY", 150.000m, 0.001m), ("XAUUSD", 2000.00m, 0.01m),
    ];

    private readonly Random _random = new(seed);
    private readonly List<long> _logins = new();
    private readonly List<long> _closed = new();
    private readonly Dictionary<string, decimal> _bid = Prices.ToDictionary(p => p.Symbol, p => p.Bid);

    public void Play(int steps, int batchEvery, Action<Engine.Runtime.CommittedBatch> publish)
    {
        foreach (var (symbol, bid, point) in Prices) s.Tick(symbol, bid, bid + point * 20);
        for (var i = 0; i < steps; i++)
        {
            Step();
            if (_random.Next(batchEvery) == 0 && s.Cut() is { } b) publish(b);
        }
        if (s.Cut() is { } last) publish(last);
    }

    private void Step()
    {
        var r = _random.Next(100);
        if (_logins.Count == 0 || r < 4)
        {
            _logins.Add(s.Account(_random.Next(0, 20_000), _random.Next(3) == 0 ? "demo-netting" : "demo"));
            return;
        }
        var login = _logins[_random.Next(_logins.Count)];
        var (symbol, _, point) = Prices[_random.Next(Prices.Length)];
        var positions = s.Engine.GetPositions(login).OrderBy(p => p.Ticket).ToList();
        switch (r)
        {
            case < 35:
                var bid = Math.Max(point * 100, _bid[symbol] + point * _random.Next(-40, 41));
                _bid[symbol] = bid;
                s.Tick(symbol, bid, bid + point * _random.Next(1, 30));
                break;
            case < 52:
                s.Apply(new OpenPosition(login, symbol, _random.Next(2) == 0 ? TradeCommand.Buy : TradeCommand.Sell, _random.Next(1, 150)));
                break;
            case < 64 when positions.Count > 0:
                var p = positions[_random.Next(positions.Count)];
                var volume = _random.Next(2) == 0 ? 0 : _random.Next(1, p.Volume + 1);
                if (s.Apply(new ClosePosition(login, p.Ticket) { Volume = volume }).Code == ReturnCode.Ok) _closed.Add(p.Ticket);
                break;
            case < 74:
                var kind = (LedgerKind)_random.Next(0, 5);
                var amount = _random.Next(1, 500_000) / 100m;
                var signed = kind is LedgerKind.Withdrawal or LedgerKind.CreditOut ? -amount : kind == LedgerKind.BalanceCorrection && _random.Next(2) == 0 ? -amount : amount;
                s.Apply(new PostLedger(login, kind, signed) { Actor = "manager:7", Comment = "random" });
                break;
            case < 80:
                var q = s.Engine.GetQuote(symbol)!.Value;
                var type = _random.Next(2) == 0 ? TradeCommand.BuyLimit : TradeCommand.SellLimit;
                var price = type == TradeCommand.BuyLimit ? q.Ask * 0.995m : q.Bid * 1.005m;
                s.Apply(new PlacePendingOrder(login, symbol, type, _random.Next(1, 100), Math.Round(price, s.Engine.GetSymbol(symbol)!.Digits)));
                break;
            case < 85:
                var orders = s.Engine.GetPendingOrders(login).OrderBy(o => o.Ticket).ToList();
                if (orders.Count > 0) s.Apply(new CancelPendingOrder(login, orders[_random.Next(orders.Count)].Ticket));
                break;
            case < 89 when _closed.Count > 0:
                var deal = _closed[_random.Next(_closed.Count)];
                s.Apply(_random.Next(3) switch
                {
                    0 => new DeleteTrade(deal) { Actor = "admin:1" },
                    1 => new RestoreTrade(deal) { Actor = "admin:1" },
                    _ => new EditTrade(deal) { Comment = "edited", Actor = "manager:7" },
                });
                break;
            case < 93:
                // Days pass: rollovers charge swaps and end-of-day figures are taken.
                s.Time += _random.Next(1, 30) * 3_600_000L;
                s.Apply(new AdvanceTime());
                break;
            default:
                var gap = Math.Max(point * 100, Math.Round(_bid[symbol] * (1m + (decimal)(_random.NextDouble() - 0.5) * 0.04m), 5));
                gap = Math.Round(gap / point) * point;
                _bid[symbol] = gap;
                s.Tick(symbol, gap, gap + point * 10);
                break;
        }
    }
}
