using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// The daily swap rollover at <see cref="EngineSettings.RolloverMinuteOfDay"/> (UTC). It is noticed by
/// the first tick or time command whose time passes it; every rollover missed since the last one is
/// booked in order. Swap accumulates on the position (floating, in equity) and becomes balance at close.
/// </summary>
public sealed partial class TradingEngine
{
    /// <summary>Books any rollovers due up to engine time. True when the rollover state changed.</summary>
    private bool ProcessRollovers()
    {
        var offset = Settings.RolloverMinuteOfDay * 60_000L;
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

    /// <summary>Charges or credits one rollover to every position opened before it.</summary>
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
                if (amount == 0) continue;
                t.Swap += amount;
                account.FloatingSwap += amount;
                t.UpdateTime = Now;
                Emit(new TradeEvent(RecordChange.Update, Record(t)));
                booked = true;
            }
            if (!booked) continue;
            account.ChangedAt = _changeClock;
            WatchLevel(account);
        }
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
