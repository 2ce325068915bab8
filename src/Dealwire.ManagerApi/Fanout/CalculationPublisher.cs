using Dealwire.Engine.Model;
using Dealwire.Engine.Events;
using Dealwire.ReadModel.Live;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Fanout;

/// <summary>
/// Calculation updates (margin, equity, free margin, margin level; gross P/L per position), sent only for what
/// changed. They follow the stream instead of polling the engine: the runner's <see cref="AccountFiguresEvent"/>
/// (every <c>Engine:FiguresIntervalMs</c> of engine time for figures ticks moved, and with the batch of any command
/// that touched an account) reaches the hub's dispatcher, which calls <see cref="Publish"/> with it; the figures
/// are diffed against what was last sent.
/// </summary>
public sealed class CalculationPublisher
{
    private readonly ManagerHub _hub;
    private readonly ILiveView _view;
    private readonly ILogger<CalculationPublisher> _logger;
    private readonly Dictionary<long, (decimal Margin, decimal Equity, decimal FreeMargin, decimal Level)> _accounts = new();
    /// <summary>Last sent gross P/L per open position, by login then ticket.</summary>
    private readonly Dictionary<long, Dictionary<long, decimal>> _positions = new();

    public CalculationPublisher(ManagerHub hub, ILiveView view, ILogger<CalculationPublisher> logger)
    {
        _hub = hub;
        _view = view;
        _logger = logger;
        hub.FiguresApplied += figures =>
        {
            try
            {
                Publish(figures);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Manager API calculation update failed");
            }
        };
    }

    /// <summary>Diffs one figures event against what was sent and sends the changes. Runs on the hub's dispatcher.</summary>
    public void Publish(AccountFiguresEvent figures)
    {
        var hub = _hub;
        if (!hub.Sessions.Any(s => s.Wants(Topic.CalculateUpdates))) return;
        var accountsByLogin = new Dictionary<long, AccountView>();
        foreach (var margin in figures.Accounts)
        {
            if (_view.GetAccount(margin.Login) is not { } a) continue;
            accountsByLogin[margin.Login] = AccountView.From(a with { Margin = margin }, _view.GetGroup(a.Profile.Group));
        }
        var changedAccounts = new List<AccountView>();
        foreach (var a in accountsByLogin.Values)
        {
            var key = (a.Margin, a.Equity, a.FreeMargin, a.MarginLevel);
            if (_accounts.TryGetValue(a.Login, out var old) && old == key) continue;
            _accounts[a.Login] = key;
            changedAccounts.Add(a);
        }
        // Accounts whose every position is listed get their map replaced whole, so closed tickets drop out.
        var current = figures.PositionLogins.ToDictionary(login => login, _ => new Dictionary<long, decimal>());
        var changedPositions = new List<(TradeRecord Trade, AccountView Account)>();
        foreach (var t in figures.Positions)
        {
            if (current.TryGetValue(t.Login, out var tickets)) tickets[t.Ticket] = t.Profit;
            if (_positions.TryGetValue(t.Login, out var sent) && sent.TryGetValue(t.Ticket, out var profit) && profit == t.Profit) continue;
            var account = accountsByLogin.GetValueOrDefault(t.Login)
                ?? (_view.GetAccount(t.Login) is { } a ? AccountView.From(a, _view.GetGroup(a.Profile.Group)) : null);
            if (account is null) continue;
            changedPositions.Add((t, account));
            if (!current.ContainsKey(t.Login))
            {
                if (!_positions.TryGetValue(t.Login, out var map)) _positions[t.Login] = map = new Dictionary<long, decimal>();
                map[t.Ticket] = t.Profit;
            }
        }
        foreach (var (login, tickets) in current) _positions[login] = tickets;
        if (changedAccounts.Count == 0 && changedPositions.Count == 0) return;

        var cache = new Dictionary<(int, string), List<byte[]>>();
        foreach (var session in hub.Sessions)
        {
            if (session.Dialect is not { } d || !session.Wants(Topic.CalculateUpdates)) continue;
            var key = (d.Index, session.Mask.Text);
            if (!cache.TryGetValue(key, out var frames))
            {
                cache[key] = frames = FramesSkippingBad(d,
                    changedAccounts.Where(a => session.Sees(a.Group)).ToList(),
                    changedPositions.Where(p => session.Sees(p.Account.Group)).ToList());
            }
            foreach (var frame in frames) session.Deliver(Topic.CalculateUpdates, long.MaxValue, frame);
        }
    }

    /// <summary>
    /// The round's frames; when one account or position cannot be serialized (an id the layout cannot carry),
    /// it is logged and left out and the others are still sent: one bad record never silences a round.
    /// </summary>
    private List<byte[]> FramesSkippingBad(WireDialect d, List<AccountView> accounts, List<(TradeRecord Trade, AccountView Account)> positions)
    {
        try
        {
            return Frames(d, accounts, positions);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var goodAccounts = accounts.Where(a => Serializes(d, [a], [], $"account {a.Login}")).ToList();
            var goodPositions = positions.Where(p => Serializes(d, [], [p], $"position {p.Trade.Ticket}")).ToList();
            _logger.LogError(ex, "Manager API calculation round skipped {Count} record(s) that could not be serialized",
                accounts.Count + positions.Count - goodAccounts.Count - goodPositions.Count);
            return Frames(d, goodAccounts, goodPositions);
        }
    }

    private bool Serializes(WireDialect d, List<AccountView> accounts, List<(TradeRecord Trade, AccountView Account)> positions, string what)
    {
        try
        {
            Frames(d, accounts, positions);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug(ex, "Calculation update for {Record} left out", what);
            return false;
        }
    }

    private List<byte[]> Frames(WireDialect d, List<AccountView> accounts, List<(TradeRecord Trade, AccountView Account)> positions)
    {
        var frames = new List<byte[]>(2);
        if (d.IsSeed)
        {
            // The seed layout has no calculation message: changed accounts and positions go out as "updated".
            if (accounts.Count > 0) frames.Add(Replies.SeedEvent("accounts", "updated", accounts, TradingModels.WriteAccount));
            if (positions.Count > 0)
            {
                var views = positions.Select(p => new PositionView(p.Trade, p.Account.Currency, p.Account.Leverage,
                    _hub.LastPrice(p.Trade.Symbol)?.Quote ?? default, _hub.LastPrice(p.Trade.Symbol)?.Base ?? "", _hub.LastPrice(p.Trade.Symbol)?.QuoteCurrency ?? "")).ToList();
                frames.Add(Replies.SeedEvent("positions", "updated", views, TradingModels.WritePosition));
            }
            return frames;
        }
        if (accounts.Count > 0)
        {
            frames.Add(Replies.NewerUpdate(d, "accounts", "calculate_updates", accounts,
                static (w, d, list) => Replies.WriteArray(w, d, list, TradingModels.WriteAccountCalculation)));
        }
        if (positions.Count > 0)
        {
            var trades = positions.Select(p => p.Trade).ToList();
            frames.Add(Replies.NewerUpdate(d, "positions", "calculate_updates", trades,
                static (w, d, list) => Replies.WriteArray(w, d, list, TradingModels.WritePositionCalculation)));
        }
        return frames;
    }
}
