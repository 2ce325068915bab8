using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Fanout;

/// <summary>
/// Calculation updates (margin, equity, free margin, margin level; gross P/L per position), at most
/// once per <see cref="ManagerApiOptions.CalculationIntervalMs"/> and only for what changed. The engine
/// has no "changed since" query yet, so each round reads the figures and diffs them with the last round.
/// </summary>
public sealed class CalculationPublisher(EngineRunner runner, ManagerHub hub, ManagerApiOptions options, ILogger<CalculationPublisher> logger)
{
    private readonly Dictionary<long, (decimal Margin, decimal Equity, decimal FreeMargin, decimal Level)> _accounts = new();
    private readonly Dictionary<long, decimal> _positions = new();

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

    /// <summary>One round: read, diff, send. Public for tests that drive rounds themselves.</summary>
    public async Task PublishAsync(CancellationToken stop = default)
    {
        var state = await runner.QueryAsync(r =>
        {
            var groups = r.GetGroups().ToDictionary(g => g.Name);
            return (
                Accounts: r.GetAccounts(GroupMask.All).Select(a => AccountView.From(a, groups.GetValueOrDefault(a.Profile.Group))).ToList(),
                Positions: r.GetPositions().ToList());
        }, stop);

        var changedAccounts = new List<AccountView>();
        foreach (var a in state.Accounts)
        {
            var figures = (a.Margin, a.Equity, a.FreeMargin, a.MarginLevel);
            if (_accounts.TryGetValue(a.Login, out var old) && old == figures) continue;
            _accounts[a.Login] = figures;
            changedAccounts.Add(a);
        }
        var groupOf = state.Accounts.ToDictionary(a => a.Login, a => a);
        var changedPositions = new List<(TradeRecord Trade, AccountView Account)>();
        var open = new HashSet<long>();
        foreach (var t in state.Positions)
        {
            open.Add(t.Ticket);
            if (_positions.TryGetValue(t.Ticket, out var profit) && profit == t.Profit) continue;
            _positions[t.Ticket] = t.Profit;
            if (groupOf.TryGetValue(t.Login, out var account)) changedPositions.Add((t, account));
        }
        foreach (var gone in _positions.Keys.Where(k => !open.Contains(k)).ToList()) _positions.Remove(gone);
        if (changedAccounts.Count == 0 && changedPositions.Count == 0) return;

        var cache = new Dictionary<(int, string), List<byte[]>>();
        foreach (var session in hub.Sessions)
        {
            if (session.Dialect is not { } d || !session.Wants(Topic.CalculateUpdates)) continue;
            var key = (d.Index, session.Mask.Text);
            if (!cache.TryGetValue(key, out var frames))
            {
                cache[key] = frames = Frames(d,
                    changedAccounts.Where(a => session.Sees(a.Group)).ToList(),
                    changedPositions.Where(p => session.Sees(p.Account.Group)).ToList());
            }
            foreach (var frame in frames) session.Deliver(Topic.CalculateUpdates, long.MaxValue, frame);
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
