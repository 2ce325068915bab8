using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Fanout;

/// <summary>
/// Calculation updates (margin, equity, free margin, margin level; gross P/L per position), at most
/// once per <see cref="ManagerApiOptions.CalculationIntervalMs"/> and only for what changed. Each round
/// asks the engine which accounts changed since the last round (its change clock), reads only those
/// accounts and their positions, and sends the figures that differ from what was last sent.
/// </summary>
public sealed class CalculationPublisher(EngineRunner runner, ManagerHub hub, ManagerApiOptions options, ILogger<CalculationPublisher> logger)
{
    private readonly Dictionary<long, (decimal Margin, decimal Equity, decimal FreeMargin, decimal Level)> _accounts = new();
    /// <summary>Last sent gross P/L per open position, by login then ticket.</summary>
    private readonly Dictionary<long, Dictionary<long, decimal>> _positions = new();
    /// <summary>Engine change clock of the last round; -1 = every account on the first round.</summary>
    private long _clock = -1;

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.CalculationIntervalMs)));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    if (hub.Sessions.Any(s => s.Wants(Topic.CalculateUpdates))) await PublishAsync(stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Manager API calculation round failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One round: read what changed, diff, send. Public for tests that drive rounds themselves.</summary>
    public async Task PublishAsync(CancellationToken stop = default)
    {
        var since = _clock;
        var state = await runner.QueryAsync(r =>
        {
            var changes = r.GetChangedAccounts(since);
            var accounts = new List<AccountView>(changes.Logins.Count);
            var positions = new List<TradeRecord>();
            if (changes.Logins.Count > 0)
            {
                var groups = r.GetGroups().ToDictionary(g => g.Name);
                foreach (var login in changes.Logins)
                {
                    if (r.GetAccount(login) is not { } a) continue;
                    accounts.Add(AccountView.From(a, groups.GetValueOrDefault(a.Profile.Group)));
                    positions.AddRange(r.GetPositions(login));
                }
            }
            return (changes.Clock, Accounts: accounts, Positions: positions);
        }, stop);
        _clock = state.Clock;

        var changedAccounts = new List<AccountView>();
        foreach (var a in state.Accounts)
        {
            var figures = (a.Margin, a.Equity, a.FreeMargin, a.MarginLevel);
            if (_accounts.TryGetValue(a.Login, out var old) && old == figures) continue;
            _accounts[a.Login] = figures;
            changedAccounts.Add(a);
        }
        // Every position of a changed account was read: its map is replaced whole, so closed tickets drop out.
        var viewOf = state.Accounts.ToDictionary(a => a.Login);
        var changedPositions = new List<(TradeRecord Trade, AccountView Account)>();
        var current = viewOf.Keys.ToDictionary(login => login, _ => new Dictionary<long, decimal>());
        foreach (var t in state.Positions)
        {
            current[t.Login][t.Ticket] = t.Profit;
            if (_positions.TryGetValue(t.Login, out var sent) && sent.TryGetValue(t.Ticket, out var profit) && profit == t.Profit) continue;
            changedPositions.Add((t, viewOf[t.Login]));
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
            logger.LogError(ex, "Manager API calculation round skipped {Count} record(s) that could not be serialized",
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
            logger.LogDebug(ex, "Calculation update for {Record} left out", what);
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
                    hub.LastPrice(p.Trade.Symbol)?.Quote ?? default, hub.LastPrice(p.Trade.Symbol)?.Base ?? "", hub.LastPrice(p.Trade.Symbol)?.QuoteCurrency ?? "")).ToList();
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
