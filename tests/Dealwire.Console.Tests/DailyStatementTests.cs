using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.WebConsole.Reports;

namespace Dealwire.Console.Tests;

/// <summary>
/// The daily statement's arithmetic on its own: movements fall into the day between two rollovers (an entry stamped at
/// the rollover belongs to the next day, as the engine books the rollover first), by kind, and opening balance plus
/// movements equals the end-of-day balance.
/// </summary>
public sealed class DailyStatementTests
{
    private const long Day1Rollover = 1_764_633_600_000; // 2025-12-02 00:00 UTC
    private const long DayMs = 86_400_000;

    private static EndOfDayRow Row(DateOnly day, long rollover, decimal balance, decimal credit = 0, decimal equity = 0) =>
        new(day, 1001, rollover, false, "USD", balance, credit, equity == 0 ? balance + credit : equity, 0, balance + credit, 0, 1);

    private static LedgerEntry Entry(LedgerKind kind, decimal amount, long time) => new() { Login = 1001, Kind = kind, Amount = amount, Time = time };

    [Fact]
    public void Movements_are_split_by_day_and_kind_and_explain_the_balance()
    {
        var before = Row(new DateOnly(2025, 11, 30), Day1Rollover - DayMs, 500m);
        var rows = new[]
        {
            Row(new DateOnly(2025, 12, 1), Day1Rollover, 1_372.25m, credit: 50m, equity: 1_400m),
            Row(new DateOnly(2025, 12, 2), Day1Rollover + DayMs, 1_272.25m, credit: 50m),
        };
        var ledger = new[]
        {
            Entry(LedgerKind.Deposit, 1_000m, Day1Rollover - DayMs), // the first millisecond of day 1
            Entry(LedgerKind.Withdrawal, -200m, Day1Rollover - 1000),
            Entry(LedgerKind.CreditIn, 50m, Day1Rollover - 900),
            Entry(LedgerKind.TradingResult, 80.5m, Day1Rollover - 800),
            Entry(LedgerKind.Commission, -7m, Day1Rollover - 700),
            Entry(LedgerKind.Swap, -1.25m, Day1Rollover - 600),
            Entry(LedgerKind.BalanceCorrection, 0m, Day1Rollover - 500),
            Entry(LedgerKind.WithdrawalCancelled, 0m, Day1Rollover - 400),
            Entry(LedgerKind.Withdrawal, -100m, Day1Rollover), // at the rollover: the next day's
        };

        var days = DailyStatement.Build(rows, before, ledger);

        Assert.Equal(2, days.Count);
        var first = days[0];
        Assert.Equal(500m, first.OpeningBalance);
        Assert.Equal(1_000m, first.Deposits);
        Assert.Equal(-200m, first.Withdrawals);
        Assert.Equal(50m, first.CreditMovements);
        Assert.Equal(72.25m, first.ClosedProfit);
        Assert.Equal(0m, first.Other);
        Assert.Equal(1_400m, first.Equity);
        Assert.True(first.Reconciles);
        var second = days[1];
        Assert.Equal(1_372.25m, second.OpeningBalance);
        Assert.Equal(-100m, second.Withdrawals);
        Assert.Equal(0m, second.Deposits);
        Assert.True(second.Reconciles);
    }

    [Fact]
    public void A_balance_the_movements_do_not_explain_is_flagged_and_a_first_day_opens_at_what_they_leave()
    {
        var rows = new[] { Row(new DateOnly(2025, 12, 1), Day1Rollover, 300m), Row(new DateOnly(2025, 12, 2), Day1Rollover + DayMs, 999m) };
        var ledger = new[] { Entry(LedgerKind.Deposit, 250m, Day1Rollover - 10), Entry(LedgerKind.Bonus, 5m, Day1Rollover + 10) };

        var days = DailyStatement.Build(rows, before: null, ledger);

        Assert.Equal(50m, days[0].OpeningBalance); // opened the day before the deposit
        Assert.True(days[0].Reconciles);
        Assert.Equal(5m, days[1].Other);
        Assert.False(days[1].Reconciles); // 300 + 5 is not 999
        Assert.Empty(DailyStatement.Build([], null, ledger));
    }
}
