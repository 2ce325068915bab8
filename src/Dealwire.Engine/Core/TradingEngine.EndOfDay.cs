using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// End of the trading day, at each rollover: every account's balance becomes its previous-day closing
/// balance (and, when the closed day is the last of its month, its previous-month closing balance), which
/// the Server API reports as prevbalance / prevmonthbalance. One <see cref="EndOfDayEvent"/> per closed day
/// carries every account's figures for the history's end-of-day statements.
/// </summary>
public sealed partial class TradingEngine
{
    private void EndDay(long rolloverInstant)
    {
        // The day a rollover closes is the day of the instant just before it: 00:00 Tuesday closes Monday.
        var closedDay = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(rolloverInstant - 1).UtcDateTime);
        var monthEnd = closedDay.AddDays(1).Day == 1;
        var figures = new List<MarginSnapshot>(_accounts.Count);
        foreach (var account in _accounts.Values)
        {
            account.DayCloseBalance = account.Balance;
            account.DayClosedAt = rolloverInstant;
            if (monthEnd)
            {
                account.MonthCloseBalance = account.Balance;
                account.MonthClosedAt = rolloverInstant;
            }
            account.ChangedAt = _changeClock;
            figures.Add(FiguresOf(account));
        }
        Emit(new EndOfDayEvent(closedDay, rolloverInstant, monthEnd, figures));
    }

    private IEnumerable<ClosingBalance> ClosingBalances() =>
        _accounts.Values.Where(a => a.DayClosedAt != 0 || a.MonthClosedAt != 0)
            .Select(a => new ClosingBalance(a.Login, a.DayCloseBalance, a.DayClosedAt, a.MonthCloseBalance, a.MonthClosedAt));

    private void RestoreClosingBalances(IEnumerable<ClosingBalance> balances)
    {
        foreach (var c in balances)
        {
            var account = _accounts[c.Login];
            account.DayCloseBalance = c.DayBalance;
            account.DayClosedAt = c.DayClosedAt;
            account.MonthCloseBalance = c.MonthBalance;
            account.MonthClosedAt = c.MonthClosedAt;
        }
    }

    /// <summary>The closing balances (the rollover time is hashed with the settings).</summary>
    private void HashEndOfDay(StateHasher h)
    {
        foreach (var c in ClosingBalances())
        {
            h.Add(c.Login);
            h.Add(c.DayBalance);
            h.Add(c.DayClosedAt);
            h.Add(c.MonthBalance);
            h.Add(c.MonthClosedAt);
        }
    }
}
