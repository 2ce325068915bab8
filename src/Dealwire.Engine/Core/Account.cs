using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>The engine's mutable account: profile, booked money, and figures kept current on every tick.</summary>
internal sealed class Account(AccountProfile profile, GroupState group)
{
    public AccountProfile Profile = profile;
    public GroupState Group = group;
    public decimal Balance;
    public decimal Credit;

    /// <summary>Balance when the last trading day ended (the Server API's prevbalance), and that rollover's time (Unix ms; 0 = none yet).</summary>
    public decimal DayCloseBalance;
    public long DayClosedAt;

    /// <summary>Balance when the last month ended (prevmonthbalance), and that rollover's time (Unix ms; 0 = none yet).</summary>
    public decimal MonthCloseBalance;
    public long MonthClosedAt;

    /// <summary>Sum of the exposures' floating profit, account currency.</summary>
    public decimal FloatingProfit;
    public decimal Margin;
    public MarginLevelType LevelType;

    public readonly List<Trade> Positions = new();
    public readonly List<Trade> Orders = new();
    public readonly List<Exposure> Exposures = new();
    /// <summary>Time of the last ledger entry (the engine keeps no ledger, only this): <see cref="MarginSnapshot.BalanceTime"/>.</summary>
    public long BalanceTime;

    /// <summary>
    /// Engine change clock at the last change of this account's figures (not part of the state):
    /// readers ask for accounts changed since a clock value they keep.
    /// </summary>
    public long ChangedAt;

    /// <summary>Queued for a margin-level check in the current command (see TradingEngine.WatchLevel).</summary>
    public bool LevelQueued;

    public long Login => Profile.Login;

    public GroupConfig GroupConfig => Group.Config;

    public int Leverage => Profile.Leverage > 0 ? Profile.Leverage : Math.Max(1, Group.Config.DefaultLeverage);

    /// <summary>Accumulated swap of open positions (kept in step with the positions' <see cref="Trade.Swap"/>).</summary>
    public decimal FloatingSwap;

    public decimal Equity => Balance + Credit + FloatingProfit + FloatingSwap;

    public decimal FreeMargin => FreeMarginOf(FloatingProfit, Margin);

    private decimal FreeMarginOf(decimal floatingProfit, decimal margin)
    {
        var floating = floatingProfit + FloatingSwap;
        var counted = Group.Config.FreeMarginMode switch
        {
            FreeMarginMode.DontUseFloating => 0m,
            FreeMarginMode.UseProfitOnly => Math.Max(0m, floating),
            FreeMarginMode.UseLossOnly => Math.Min(0m, floating),
            _ => floating,
        };
        return Balance + Credit + counted - margin;
    }


    public Exposure? FindExposure(SymbolState symbol)
    {
        foreach (var e in Exposures)
        {
            if (ReferenceEquals(e.Symbol, symbol)) return e;
        }
        return null;
    }

    /// <summary>Σ commission of open positions, kept as positions come, go or change (see <see cref="Trade.Commission"/>).</summary>
    private ExactSum _openCommission;

    public void AddOpenCommission(decimal commission) => _openCommission.Add(commission);

    public void RemoveOpenCommission(decimal commission) => _openCommission.Remove(commission);

    public void ChangeOpenCommission(decimal before, decimal after)
    {
        _openCommission.Remove(before);
        _openCommission.Add(after);
    }

    /// <summary>Commission of the open positions, exactly as summing them afresh gives it (see <see cref="ExactSum"/>).</summary>
    public decimal OpenCommission => _openCommission.Value;

    /// <summary>
    /// The account's reported figures. <paramref name="floating"/> is the sum of the open positions' floating
    /// profit, each rounded to the currency digits as its trade record shows it (see TradingEngine.FiguresOf):
    /// equity, free margin and margin level are derived from it, so a reader adding balance, credit and the
    /// records' profit and swap gets the reported equity to the cent.
    /// </summary>
    public MarginSnapshot Snapshot(decimal floating)
    {
        var digits = Group.Config.CurrencyDigits;
        var commission = OpenCommission;
        // Margin is summed afresh from the exposures: the running total kept for the tick path can carry a
        // residue of 1e-25 that would tip a half-cent rounding differently after a restore.
        decimal margin = 0;
        foreach (var e in Exposures) margin += e.Margin;
        // Reported margin is rounded once, and free margin and level are derived from the reported equity and
        // margin, so a reader gets free margin = equity − margin (default mode) to the cent.
        var reportedMargin = Money.Round(margin, digits);
        var equity = Money.Round(Balance + Credit + floating + FloatingSwap, digits);
        return new MarginSnapshot
        {
            Login = Login,
            Group = Group.Config.Name,
            Currency = Group.Config.Currency,
            Leverage = Leverage,
            Balance = Balance,
            Credit = Credit,
            PreviousDayBalance = DayCloseBalance,
            PreviousMonthBalance = MonthCloseBalance,
            Equity = equity,
            Profit = floating,
            Swap = FloatingSwap,
            Commission = commission,
            Margin = reportedMargin,
            FreeMargin = Money.Round(FreeMarginOf(floating, reportedMargin), digits),
            MarginLevel = reportedMargin > 0 ? Math.Round(equity / reportedMargin * 100m, 2, MidpointRounding.AwayFromZero) : 0m,
            LevelType = LevelType,
            LevelUnit = Group.Config.MarginLevelUnit,
            BalanceTime = BalanceTime,
        };
    }
}
