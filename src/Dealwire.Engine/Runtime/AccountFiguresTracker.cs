using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Runtime;

/// <summary>
/// Decides, on the engine thread when a batch closes, which account figures go out with it. Figures a command
/// changed (a deal, a balance operation, a profile edit: every account named by the batch's events) go out with
/// that batch, so a read after the reply sees them. Figures that only ticks moved go out at most once per
/// interval of engine time, for the accounts the engine's change clock marks as changed since the previous
/// round, with their open positions. A tick itself does no extra work: the cost is a scan of the batch's events
/// (none for a plain tick) and, once per interval, one pass over the accounts.
/// </summary>
internal sealed class AccountFiguresTracker
{
    private readonly TradingEngine _engine;
    private readonly int _intervalMs;
    private readonly HashSet<long> _touched = new();
    private long _clock;
    private long _lastRound;

    public AccountFiguresTracker(TradingEngine engine, int intervalMs)
    {
        if (intervalMs < 0) throw new ArgumentOutOfRangeException(nameof(intervalMs), "Engine:FiguresIntervalMs must not be negative.");
        _engine = engine;
        _intervalMs = intervalMs;
        // Rounds start from the state the runner starts with: whoever reads the engine at start (a projection's
        // seed) already has the figures of every earlier change.
        _clock = engine.GetChangedAccounts(long.MaxValue).Clock;
        _lastRound = engine.Now;
    }

    /// <summary>The figures event for a batch whose last command was <paramref name="sequence"/>, or null when nothing changed.</summary>
    public AccountFiguresEvent? Collect(IReadOnlyList<EngineEvent> events, long sequence)
    {
        var repriced = false;
        for (var i = 0; i < events.Count; i++)
        {
            // A symbol or group edit changes the prices positions are valued at (spread, markups) without a tick:
            // a position's profit is computed afresh on every read, so every open position goes out again.
            if (events[i] is SymbolEvent or GroupEvent) repriced = true;
            var login = events[i] switch
            {
                TradeEvent t => t.Trade.Login,
                BalanceEvent b => b.Entry.Login,
                AccountEvent { Change: not RecordChange.Delete } a => a.Account.Profile.Login,
                _ => 0,
            };
            if (login != 0) _touched.Add(login);
        }

        List<TradeRecord>? positions = null;
        List<long>? positionLogins = null;
        if (_engine.Now - _lastRound >= _intervalMs)
        {
            var changes = _engine.GetChangedAccounts(_clock);
            _clock = changes.Clock;
            _lastRound = _engine.Now;
            if (changes.Logins.Count > 0)
            {
                positions = new List<TradeRecord>();
                positionLogins = new List<long>(changes.Logins);
                foreach (var login in changes.Logins)
                {
                    _touched.Add(login);
                    positions.AddRange(_engine.GetPositions(login));
                }
            }
        }
        if (repriced)
        {
            positions = _engine.GetPositions().ToList();
            positionLogins = positions.Select(p => p.Login).Distinct().ToList();
        }
        if (_touched.Count == 0 && positions is null) return null;

        var accounts = new List<MarginSnapshot>(_touched.Count);
        foreach (var login in _touched)
        {
            if (_engine.GetMargin(login) is { } margin) accounts.Add(margin);
        }
        _touched.Clear();
        if (accounts.Count == 0 && positions is not { Count: > 0 }) return null;
        accounts.Sort(static (a, b) => a.Login.CompareTo(b.Login));
        positionLogins?.Sort();
        var figures = new AccountFiguresEvent(accounts, (IReadOnlyList<TradeRecord>?)positions ?? Array.Empty<TradeRecord>(),
            (IReadOnlyList<long>?)positionLogins ?? Array.Empty<long>());
        figures.StampAt(sequence, _engine.Now);
        return figures;
    }
}
