using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Tests.Live;

/// <summary>
/// A reproducible random broker session through the runner: accounts, money, deals, partial closes, pending
/// orders, dealer edits, configuration changes, rollovers, gaps that trigger stops and stop-outs, and bursts of
/// ticks posted without waiting (so batches hold several commands, as under load).
/// </summary>
internal sealed class LiveRandomSession(LiveHarness h, int seed)
{
    private static readonly string[] Symbols = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US500", "BTCUSD"];
    private readonly Random _random = new(seed);
    private readonly List<long> _logins = new();

    public int Deals { get; private set; }

    public async Task PlayAsync(int steps)
    {
        if (_logins.Count == 0) _logins.AddRange(await h.QueryAsync(r => r.GetAccounts(GroupMask.All).Select(a => a.Profile.Login).ToList()));
        for (var i = 0; i < steps; i++) await StepAsync();
    }

    private async Task StepAsync()
    {
        var r = _random.Next(100);
        h.Clock.Now += _random.Next(1, 50);
        if (r < 5)
        {
            var group = _random.Next(3) == 0 ? "demo-netting" : "demo";
            var created = await h.ApplyAsync(new CreateAccount(new AccountProfile { Group = group, Leverage = _random.Next(2) == 0 ? 0 : 50 }) { InitialDeposit = _random.Next(0, 20_000) });
            if (created.Value is AccountSnapshot a) _logins.Add(a.Profile.Login);
            return;
        }
        var login = _logins[_random.Next(_logins.Count)];
        var symbol = Symbols[_random.Next(Symbols.Length)];
        var positions = await h.QueryAsync(e => e.GetPositions(login).ToList());
        switch (r)
        {
            case < 30:
                await TickBurstAsync(symbol);
                break;
            case < 48:
                var opened = await h.ApplyAsync(new OpenPosition(login, symbol, _random.Next(2) == 0 ? TradeCommand.Buy : TradeCommand.Sell, _random.Next(1, 150)));
                if (opened.Code == ReturnCode.Ok) Deals++;
                break;
            case < 58 when positions.Count > 0:
                var p = positions[_random.Next(positions.Count)];
                await h.ApplyAsync(new ClosePosition(login, p.Ticket) { Volume = _random.Next(2) == 0 ? 0 : _random.Next(1, p.Volume + 1) });
                break;
            case < 66:
                var kind = (LedgerKind)_random.Next(0, 5);
                var amount = (decimal)_random.Next(1, 500_000) / 100m;
                var signed = kind is LedgerKind.Withdrawal or LedgerKind.CreditOut ? -amount : amount;
                await h.ApplyAsync(new PostLedger(login, kind, signed));
                break;
            case < 71 when positions.Count > 0:
                var m = positions[_random.Next(positions.Count)];
                var q = (await h.QueryAsync(e => e.GetQuote(m.Symbol)))!.Value;
                var width = q.Bid * 0.01m;
                var isBuy = m.Command == TradeCommand.Buy;
                await h.ApplyAsync(new ModifyPosition(login, m.Ticket, Math.Round(isBuy ? q.Bid - width : q.Ask + width, m.Digits), Math.Round(isBuy ? q.Bid + width : q.Ask - width, m.Digits)));
                break;
            case < 76:
                var cfg = (await h.QueryAsync(e => e.GetSymbol(symbol)))!;
                var quote = (await h.QueryAsync(e => e.GetQuote(symbol)))!.Value;
                var type = _random.Next(2) == 0 ? TradeCommand.BuyLimit : TradeCommand.SellLimit;
                var price = type == TradeCommand.BuyLimit ? quote.Ask * 0.998m : quote.Bid * 1.002m;
                await h.ApplyAsync(new PlacePendingOrder(login, symbol, type, _random.Next(1, 100), Math.Round(price, cfg.Digits)));
                break;
            case < 79:
                var orders = await h.QueryAsync(e => e.GetPendingOrders(login).ToList());
                if (orders.Count > 0) await h.ApplyAsync(new CancelPendingOrder(login, orders[_random.Next(orders.Count)].Ticket));
                break;
            case < 82 when positions.Count > 0:
                await h.ApplyAsync(new EditTrade(positions[_random.Next(positions.Count)].Ticket) { Swap = -(decimal)_random.Next(0, 1000) / 100m });
                break;
            case < 84 when positions.Count > 1:
                await h.ApplyAsync(new CloseBy(login, positions[0].Ticket, positions[1].Ticket));
                break;
            case < 87:
                // Configuration moves prices per group: a spread on a symbol, a markup in a group.
                var s = (await h.QueryAsync(e => e.GetSymbol(symbol)))!;
                await h.ApplyAsync(new UpsertSymbol(s with { Spread = _random.Next(0, 4) * 10, Description = $"edited {_random.Next(1000)}" }));
                break;
            case < 89:
                var account = (await h.QueryAsync(e => e.GetAccount(login)))!;
                await h.ApplyAsync(new UpdateAccount(account.Profile with { Name = $"Renamed {_random.Next(1000)}", Leverage = _random.Next(2) == 0 ? 100 : 200 }));
                break;
            case < 92:
                // Time passes: rollovers (swaps, end of day) and expirations.
                h.Clock.Now += _random.Next(1, 30) * 3_600_000L;
                await h.ApplyAsync(new AdvanceTime());
                break;
            case < 96:
                // A gap of up to ±2 %: crosses stops and pending orders, may stop accounts out.
                var c = (await h.QueryAsync(e => e.GetSymbol(symbol)))!;
                var last = (await h.QueryAsync(e => e.GetQuote(symbol)))!.Value;
                var gapped = Math.Max(c.Point * 10, Math.Round(last.Bid * (1m + (decimal)(_random.NextDouble() - 0.5) * 0.04m), c.Digits));
                await h.ApplyAsync(new ApplyTick(symbol, gapped, gapped + c.Point * _random.Next(1, 30), h.Clock.Now));
                break;
            default:
                await TickBurstAsync(symbol);
                break;
        }
    }

    /// <summary>Several ticks queued without waiting, then one awaited: the runner batches them together.</summary>
    private async Task TickBurstAsync(string symbol)
    {
        var cfg = (await h.QueryAsync(e => e.GetSymbol(symbol)))!;
        var q = (await h.QueryAsync(e => e.GetQuote(symbol)))!.Value;
        var bid = q.Bid;
        var count = _random.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            bid = Math.Max(cfg.Point * 10, Math.Round(bid + bid * (decimal)(_random.NextDouble() - 0.5) * 0.004m, cfg.Digits));
            // A feed price with more digits than the symbol: the engine rounds it, and so must the view.
            var tick = new ApplyTick(symbol, bid + cfg.Point * 0.5m, bid + cfg.Point * _random.Next(1, 30), h.Clock.Now + i);
            if (i < count - 1) h.Runner.TryPostTick(tick);
            else await h.ApplyAsync(tick);
        }
        h.Clock.Now += count;
    }
}
