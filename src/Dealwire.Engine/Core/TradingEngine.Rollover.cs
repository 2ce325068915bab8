using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// The daily swap rollover at <see cref="EngineSettings.RolloverTime"/> (UTC), which also ends the trading
/// day (see TradingEngine.EndOfDay.cs). It is noticed by the first tick or time command whose time passes
/// it; every rollover missed since the last one is booked in order. Swap accumulates on the position
/// (floating, in equity) and becomes balance at close.
/// </summary>
public sealed partial class TradingEngine
{
    private long RolloverOffset => (long)Settings.RolloverTime.TotalMilliseconds;

    /// <summary>
    /// Whether engine time <paramref name="time"/> has passed a rollover or a pending order's expiry not yet
    /// processed. The runner asks before each command and lets time pass first (a journaled
    /// <see cref="Commands.AdvanceTime"/>), so a deal closed a second after the rollover still carries its swap
    /// even when no tick or clock command came in between. O(log n) in pending expiries, no allocation.
    /// </summary>
    public bool IsTimeDue(long time)
    {
        if (_lastRolloverDay != 0 && time >= (_lastRolloverDay + 1) * DayMs + RolloverOffset) return true;
        return _expiries.Count > 0 && _expiries.Min.Time <= time;
    }

    /// <summary>Books any rollovers due up to engine time. True when the rollover state changed.</summary>
    private bool ProcessRollovers()
    {
        var offset = RolloverOffset;
        var day = FloorDiv(Now - offset, DayMs);
        if (_lastRolloverDay == 0)
        {
            // A fresh engine starts counting from today's rollover; nothing was open before it.
            _lastRolloverDay = day;
            return true;
        }
        if (day <= _lastRolloverDay) return false;
        for (var d = _lastRolloverDay + 1; d <= day; d++) BookRollover(d * DayMs + offset);
        _lastRolloverDay = day;
        return true;
    }

    /// <summary>
    /// Moves the rollover to another time of day without booking a trading day twice or skipping one: the
    /// last day closed under the old time stays the last closed day, the next rollover closes the day after it.
    /// </summary>
    private (ReturnCode, string, object?) SetRollover(SetRolloverTime c)
    {
        if (c.TimeOfDay < TimeSpan.Zero || c.TimeOfDay >= TimeSpan.FromDays(1))
        {
            return Reject(ReturnCode.InvalidData, "the rollover time must be a time of day from 00:00:00 to 23:59:59");
        }
        if (c.TimeOfDay == Settings.RolloverTime) return Unchanged(Settings);
        var closedDay = ClosedDay(_lastRolloverDay, RolloverOffset);
        Settings = Settings with { RolloverTime = c.TimeOfDay };
        // Rollover d closes day d when it falls after midnight, day d − 1 when it is at midnight.
        if (_lastRolloverDay != 0) _lastRolloverDay = closedDay + (RolloverOffset == 0 ? 1 : 0);
        return Ok(Settings);
    }

    /// <summary>The day (Unix day number) that rollover <paramref name="day"/> closes: the day of the instant just before it.</summary>
    private static long ClosedDay(long day, long offset) => FloorDiv(day * DayMs + offset - 1, DayMs);

    /// <summary>Charges or credits one rollover to every position opened before it, then ends the trading day.</summary>
    private void BookRollover(long instant)
    {
        // The rollover closes the trading day it ends: the day of the instant just before it.
        var closedDay = DateTimeOffset.FromUnixTimeMilliseconds(instant - 1).DayOfWeek;
        foreach (var account in _accounts.Values)
        {
            var booked = false;
            foreach (var t in account.Positions)
            {
                if (t.OpenTime >= instant) continue;
                var amount = SwapOf(t, closedDay);
                t.Swap += amount;
                if (amount != 0) t.LastSwapTime = instant;
                account.FloatingSwap += amount;
                // Reopen modes (UpdateConfig rollovers_mode 1/2) realise profit and swap and reopen at the rollover price.
                var reopened = Settings.Server.RolloversMode != RolloverMode.Normal && Reopen(t, Settings.Server.RolloversMode);
                if (amount == 0 && !reopened) continue;
                t.UpdateTime = Now;
                Emit(new TradeEvent(RecordChange.Update, Record(t)));
                booked = true;
            }
            if (!booked) continue;
            account.ChangedAt = _changeClock;
            WatchLevel(account);
        }
        EndDay(instant);
    }

    /// <summary>The rounded swap one rollover books on a position; 0 when swaps are off, it is a free night, or a rate is missing.</summary>
    private decimal SwapOf(Trade t, DayOfWeek closedDay)
    {
        var cfg = t.Symbol.Config;
        var group = t.Account.GroupConfig;
        if (Swaps.RateFor(group, cfg, t.IsBuy) is not { } swap) return 0m;
        var nights = Swaps.Nights(cfg, closedDay);
        if (nights == 0) return 0m;
        var profitRate = FindConverter(cfg.ProfitCurrency, group.Currency).Rate();
        var marginRate = FindConverter(cfg.EffectiveMarginCurrency, group.Currency).Rate();
        if (!profitRate.IsKnown || !marginRate.IsKnown || !t.Symbol.Raw.IsSet) return 0m;
        var q = GroupQuote(t.Symbol, group);
        var perNight = Swaps.PerNight(swap.Type, swap.Rate, t.Symbol, t.Volume, t.OpenPrice, t.IsBuy ? q.Bid : q.Ask, profitRate, marginRate);
        return Money.Round(perNight * nights, group.CurrencyDigits);
    }
}
