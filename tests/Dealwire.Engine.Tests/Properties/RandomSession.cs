using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Properties;

/// <summary>
/// Plays a long random but reproducible broker session (from a seed) against a harness: accounts,
/// money, deals, closes, ticks with a random walk, stop changes, pending orders, dealer edits.
/// </summary>
internal sealed class RandomSession(EngineHarness h, int seed)
{
    private static readonly string[] Symbols = ["EURUSD", "GBPUSD", "USDJPY", "EURGBP", "XAUUSD", "US500"];
    private readonly Random _random = new(seed);
    private readonly List<long> _logins = new();

    public void Play(int steps)
    {
        _logins.AddRange(h.Engine.GetAccounts(GroupMask.All).Select(a => a.Profile.Login));
        if (_logins.Count == 0) EnableSwaps();
        for (var i = 0; i < steps; i++) Step();
    }

    /// <summary>Swaps on two symbols so rollovers move money (one FX calendar, one daily).</summary>
    private void EnableSwaps()
    {
        h.Apply(new UpsertSymbol(h.Engine.GetSymbol("EURUSD")! with { SwapEnabled = true, SwapType = SwapType.Points, SwapLong = -7m, SwapShort = 2m }));
        h.Apply(new UpsertSymbol(h.Engine.GetSymbol("XAUUSD")! with { SwapEnabled = true, SwapType = SwapType.InterestCurrentPrice, SwapLong = -4m, SwapShort = -1m, SwapDaily = true }));
    }

    private void Step()
    {
        var r = _random.Next(100);
        if (_logins.Count == 0 || r < 5)
        {
            var group = _random.Next(3) == 0 ? "demo-netting" : "demo";
            var created = h.Apply(new CreateAccount(new AccountProfile { Group = group, Leverage = _random.Next(2) == 0 ? 0 : 50 }) { InitialDeposit = _random.Next(0, 20_000) });
            if (created.Value is AccountSnapshot a) _logins.Add(a.Profile.Login);
            return;
        }
        var login = _logins[_random.Next(_logins.Count)];
        var symbol = Symbols[_random.Next(Symbols.Length)];
        var positions = h.Engine.GetPositions(login).OrderBy(p => p.Ticket).ToList();
        switch (r)
        {
            case < 35:
                TickRandomWalk(symbol);
                break;
            case < 50:
                h.Apply(new OpenPosition(login, symbol, _random.Next(2) == 0 ? TradeCommand.Buy : TradeCommand.Sell, _random.Next(1, 150)));
                break;
            case < 60 when positions.Count > 0:
                var p = positions[_random.Next(positions.Count)];
                h.Apply(new ClosePosition(login, p.Ticket) { Volume = _random.Next(2) == 0 ? 0 : _random.Next(1, p.Volume + 1) });
                break;
            case < 68:
                var kind = (LedgerKind)_random.Next(0, 5);
                var amount = (decimal)_random.Next(1, 500_000) / 100m;
                var signed = kind is LedgerKind.Withdrawal or LedgerKind.CreditOut ? -amount : kind == LedgerKind.BalanceCorrection && _random.Next(2) == 0 ? -amount : amount;
                h.Apply(new PostLedger(login, kind, signed) { IdempotencyKey = _random.Next(4) == 0 ? $"k{_random.Next(20)}" : null });
                break;
            case < 73 when positions.Count > 0:
                var m = positions[_random.Next(positions.Count)];
                var q = h.Engine.GetQuote(m.Symbol)!.Value;
                var width = q.Bid * 0.01m;
                var isBuy = m.Command == TradeCommand.Buy;
                h.Apply(new ModifyPosition(login, m.Ticket, Math.Round(isBuy ? q.Bid - width : q.Ask + width, m.Digits), Math.Round(isBuy ? q.Bid + width : q.Ask - width, m.Digits)));
                break;
            case < 77:
                var quote = h.Engine.GetQuote(symbol)!.Value;
                var type = _random.Next(2) == 0 ? TradeCommand.BuyLimit : TradeCommand.SellLimit;
                var price = type == TradeCommand.BuyLimit ? quote.Ask * 0.99m : quote.Bid * 1.01m;
                h.Apply(new PlacePendingOrder(login, symbol, type, _random.Next(1, 100), Math.Round(price, h.Engine.GetSymbol(symbol)!.Digits)));
                break;
            case < 80:
                var orders = h.Engine.GetPendingOrders(login).OrderBy(o => o.Ticket).ToList();
                if (orders.Count > 0) h.Apply(new CancelPendingOrder(login, orders[_random.Next(orders.Count)].Ticket));
                break;
            case < 83 when positions.Count > 0:
                h.Apply(new EditTrade(positions[_random.Next(positions.Count)].Ticket) { Swap = -(decimal)_random.Next(0, 1000) / 100m });
                break;
            case < 86 when positions.Count > 1:
                h.Apply(new CloseBy(login, positions[0].Ticket, positions[1].Ticket));
                break;
            case < 89:
                var history = h.History.GetHistory(login, long.MinValue, long.MaxValue).Where(t => t.Command.IsMarket()).OrderBy(t => t.Ticket).ToList();
                if (history.Count == 0) break;
                var deal = history[_random.Next(history.Count)];
                if (_random.Next(2) == 0) h.Apply(new DeleteTrade(deal.Ticket));
                else h.Apply(new RestoreTrade(deal.Ticket));
                break;
            case < 92:
                // Time passes: rollovers (with triple days and weekends) and expirations.
                h.Time += _random.Next(1, 30) * 3_600_000L;
                h.Apply(new AdvanceTime());
                break;
            case < 95:
                PlaceStopOrder(login, symbol);
                break;
            case < 97 when positions.Count > 0:
                var trailed = positions[_random.Next(positions.Count)];
                h.Apply(new ModifyPosition(login, trailed.Ticket, 0m, 0m) { TrailingDistance = _random.Next(10, 300) });
                break;
            case < 99:
                // A gap of up to ±2 %: crosses stops, pending orders, and may stop accounts out. Half the
                // time an account first commits most of its free margin (≈ 11-22 USD per centi-lot of EURUSD).
                if (_random.Next(2) == 0)
                {
                    symbol = "EURUSD";
                    var free = h.Engine.GetMargin(login)!.FreeMargin;
                    var allIn = (int)Math.Min(10_000m, Math.Floor(free / 25m));
                    if (allIn > 0) h.Apply(new OpenPosition(login, symbol, _random.Next(2) == 0 ? TradeCommand.Buy : TradeCommand.Sell, allIn));
                }
                var cfg = h.Engine.GetSymbol(symbol)!;
                var last = h.Engine.GetQuote(symbol)!.Value;
                var gapped = Math.Max(cfg.Point * 10, Math.Round(last.Bid * (1m + (decimal)(_random.NextDouble() - 0.5) * 0.04m), cfg.Digits));
                h.Tick(symbol, gapped, gapped + cfg.Point * _random.Next(1, 30));
                break;
            default:
                TickRandomWalk(symbol);
                break;
        }
    }

    private void PlaceStopOrder(long login, string symbol)
    {
        var cfg = h.Engine.GetSymbol(symbol)!;
        var q = h.Engine.GetQuote(symbol)!.Value;
        var offset = q.Bid * (decimal)(0.001 + _random.NextDouble() * 0.01);
        var type = (TradeCommand)_random.Next(2, 6) switch
        {
            TradeCommand.BuyLimit => TradeCommand.BuyStop,
            TradeCommand.SellLimit => TradeCommand.SellStop,
            TradeCommand.BuyStop => TradeCommand.BuyStopLimit,
            _ => TradeCommand.SellStopLimit,
        };
        var buy = type.IsBuySide();
        var price = Math.Round(buy ? q.Ask + offset : q.Bid - offset, cfg.Digits);
        var limit = type switch
        {
            TradeCommand.BuyStopLimit => Math.Round(price - offset / 2, cfg.Digits),
            TradeCommand.SellStopLimit => Math.Round(price + offset / 2, cfg.Digits),
            _ => 0m,
        };
        var fill = limit > 0 ? limit : price;
        var stop = Math.Round(buy ? fill - offset : fill + offset, cfg.Digits);
        var mode = (ExpirationMode)_random.Next(3);
        h.Apply(new PlacePendingOrder(login, symbol, type, _random.Next(1, 100), price)
        {
            StopLimitPrice = limit,
            StopLoss = _random.Next(2) == 0 ? stop : 0m,
            ExpirationMode = mode,
            Expiration = mode == ExpirationMode.AtTime ? h.Time + _random.Next(1, 48) * 3_600_000L : 0,
        });
    }

    private void TickRandomWalk(string symbol)
    {
        var cfg = h.Engine.GetSymbol(symbol)!;
        var q = h.Engine.GetQuote(symbol)!.Value;
        var step = q.Bid * (decimal)(_random.NextDouble() - 0.5) * 0.004m;
        var bid = Math.Max(cfg.Point * 10, Math.Round(q.Bid + step, cfg.Digits));
        var spread = cfg.Point * _random.Next(1, 30);
        h.Tick(symbol, bid, bid + spread);
    }
}
