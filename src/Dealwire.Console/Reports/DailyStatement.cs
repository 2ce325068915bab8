using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;

namespace Dealwire.WebConsole.Reports;

/// <summary>One closed trading day of an account: the end-of-day figures and the day's balance movements by kind.</summary>
public sealed record StatementDay(
    DateOnly Day, long RolloverTime, string Currency, decimal OpeningBalance, decimal Deposits, decimal Withdrawals, decimal CreditMovements,
    decimal ClosedProfit, decimal Other, decimal Balance, decimal Credit, decimal Equity, decimal Margin, decimal FreeMargin, decimal Floating)
{
    /// <summary>Whether the movements explain the balance exactly (opening + movements = closing), as the ledger invariant promises.</summary>
    public bool Reconciles => OpeningBalance + Deposits + Withdrawals + ClosedProfit + Other == Balance;
}

/// <summary>
/// The daily statement of an account, built from the history store's end-of-day rows (figures at each rollover) and
/// the ledger entries between two rollovers. A day runs from the previous rollover (inclusive) to its own (exclusive):
/// the engine books a rollover before any command stamped at or after it. Money stays decimal throughout.
/// </summary>
public static class DailyStatement
{
    private const long DayMs = 86_400_000;

    /// <summary>
    /// The statement days of <paramref name="rows"/> (one login, oldest first). <paramref name="before"/> is the row of
    /// the day before the first, when there is one: its balance opens the first day and its rollover starts it.
    /// <paramref name="ledger"/> holds the login's entries from that start to the last rollover, in any order.
    /// </summary>
    public static IReadOnlyList<StatementDay> Build(IReadOnlyList<EndOfDayRow> rows, EndOfDayRow? before, IReadOnlyList<LedgerEntry> ledger)
    {
        var days = new List<StatementDay>(rows.Count);
        var start = WindowStart(rows, before);
        decimal? opening = before?.Balance;
        foreach (var row in rows.OrderBy(r => r.Day))
        {
            decimal deposits = 0, withdrawals = 0, credit = 0, closed = 0, other = 0;
            foreach (var e in ledger)
            {
                if (e.Time < start || e.Time >= row.RolloverTime) continue;
                switch (e.Kind)
                {
                    case LedgerKind.Deposit: deposits += e.Amount; break;
                    case LedgerKind.Withdrawal or LedgerKind.WithdrawalCancelled: withdrawals += e.Amount; break;
                    case LedgerKind.CreditIn or LedgerKind.CreditOut: credit += e.Amount; break;
                    case LedgerKind.TradingResult or LedgerKind.Commission or LedgerKind.Swap: closed += e.Amount; break;
                    default: other += e.Amount; break;
                }
            }
            // An account opened during the day has no earlier row: it opened the day at what the movements leave unexplained.
            var open = opening ?? row.Balance - deposits - withdrawals - closed - other;
            days.Add(new StatementDay(row.Day, row.RolloverTime, row.Currency, open, deposits, withdrawals, credit, closed, other,
                row.Balance, row.Credit, row.Equity, row.Margin, row.FreeMargin, row.Profit));
            opening = row.Balance;
            start = row.RolloverTime;
        }
        return days;
    }

    /// <summary>Where the first day's movements start: the previous rollover, or one day before the first rollover.</summary>
    public static long WindowStart(IReadOnlyList<EndOfDayRow> rows, EndOfDayRow? before) =>
        before?.RolloverTime ?? (rows.Count == 0 ? 0 : rows.Min(r => r.RolloverTime) - DayMs);
}
