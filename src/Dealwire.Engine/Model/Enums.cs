namespace Dealwire.Engine.Model;

/// <summary>Trade command (OP_*): market side, pending type or finance operation.</summary>
public enum TradeCommand
{
    Buy = 0,
    Sell = 1,
    BuyLimit = 2,
    SellLimit = 3,
    BuyStop = 4,
    SellStop = 5,
    BalanceIn = 6,
    CreditIn = 7,
    BalanceOut = 8,
    CreditOut = 9,
    BuyStopLimit = 10,
    SellStopLimit = 11,
    Charge = 12,
    Correction = 13,
    Bonus = 14,
    Commission = 15,
    CommissionDaily = 16,
    CommissionMonthly = 17,
    InterestRate = 18,
    Dividend = 19,
    DividendFranked = 20,
    Tax = 21,
    StopOutCompensation = 22,
}

/// <summary>Trade state (TS_*).</summary>
public enum TradeState
{
    OpenNormal = 0,
    OpenRequest = 1,
    OpenRestored = 2,
    ClosedNormal = 3,
    ClosedPart = 4,
    ClosedBy = 5,
    Deleted = 6,
    CloseRequest = 7,
    DeleteRequest = 8,
    CancelRequest = 9,
    FinanceOpenRequest = 10,
    FinanceUpdateRequest = 11,
    FinanceDeleteRequest = 12,
    RestoreRequest = 13,
    OpenUpdateRequest = 14,
    ClosedUpdateRequest = 15,
    PendingUpdateRequest = 16,
    PartialCloseRequest = 19,
}

/// <summary>Who originated a trade (TR_REASON_*).</summary>
public enum TradeReason { Client = 0, Expert = 1, Dealer = 2, Signal = 3, Gateway = 4, Mobile = 5, Web = 6, Api = 7 }

/// <summary>What triggered a server-side execution (ACTIVATION_*).</summary>
public enum Activation { None = 0, StopLoss = 1, TakeProfit = 2, Pending = 3, StopOut = 4, Cancel = 5, Expiration = 6 }

/// <summary>Kind of change carried by an event (EV_RECORD_*).</summary>
public enum RecordChange { Add = 0, Update = 1, Delete = 2, Restore = 3, Archive = 4, ActivateTrade = 5, CloseTrade = 6 }

/// <summary>Symbol trade mode (TRADE_*).</summary>
public enum SymbolTradeMode { Disabled = 0, CloseOnly = 1, Full = 2 }

/// <summary>Margin calculation mode (MARGIN_CALC_*).</summary>
public enum MarginCalcMode { Forex = 0, Cfd = 1, Futures = 2, CfdIndex = 3, CfdLeverage = 4 }

/// <summary>Profit calculation mode (PROFIT_CALC_*).</summary>
public enum ProfitCalcMode { Forex = 0, Cfd = 1, Futures = 2 }

/// <summary>Swap calculation type (SWAP_BY_*).</summary>
public enum SwapType { Points = 0, Money = 1, Interest = 2, MarginCurrency = 3, InterestOpenPrice = 4, InterestCurrentPrice = 5 }

/// <summary>Commission unit (COMM_TYPE_*).</summary>
public enum CommissionType { Money = 0, Pips = 1, Percent = 2 }

/// <summary>Commission base (COMMISSION_*): per lot or per deal.</summary>
public enum CommissionBase { PerLot = 0, PerDeal = 1 }

/// <summary>When a commission is charged.</summary>
public enum CommissionCharge { OnOpen = 0, OnClose = 1, OnOpenAndClose = 2 }

/// <summary>How margin-call and stop-out levels are read (MARGIN_TYPE_*).</summary>
public enum MarginLevelUnit { Percent = 0, Money = 1 }

/// <summary>How floating profit counts toward free margin (MARGIN_MODE_*).</summary>
public enum FreeMarginMode { DontUseFloating = 0, UseAll = 1, UseProfitOnly = 2, UseLossOnly = 3 }

/// <summary>Margin state of an account (MARGINLEVEL_*).</summary>
public enum MarginLevelType { Ok = 0, MarginCall = 1, StopOut = 2 }

/// <summary>Position accounting of an account's group.</summary>
public enum PositionAccounting { Hedging = 0, Netting = 1 }

/// <summary>What to do with a negative balance after a stop-out.</summary>
public enum NegativeBalancePolicy { Keep = 0, CompensateToZero = 1 }

/// <summary>Pending order expiration mode.</summary>
public enum ExpirationMode { GoodTillCancelled = 0, EndOfDay = 1, AtTime = 2 }

/// <summary>Notification level of "n" pushes.</summary>
public enum NotifyLevel { Info = 10, Warning = 20, Error = 30, Promo = 40, Marketing = 50, News = 60 }

/// <summary>Kind of a ledger entry: every change of balance or credit is one of these.</summary>
public enum LedgerKind
{
    Deposit = 0,
    Withdrawal = 1,
    CreditIn = 2,
    CreditOut = 3,
    BalanceCorrection = 4,
    WithdrawalCancelled = 5,
    TradingResult = 6,
    Commission = 7,
    Swap = 8,
    AgentCommission = 9,
    StopOutCompensation = 10,
    Bonus = 11,
    Charge = 12,
}

public static class TradeCommandExtensions
{
    public static bool IsMarket(this TradeCommand cmd) => cmd is TradeCommand.Buy or TradeCommand.Sell;

    public static bool IsPending(this TradeCommand cmd) => cmd is TradeCommand.BuyLimit or TradeCommand.SellLimit
        or TradeCommand.BuyStop or TradeCommand.SellStop or TradeCommand.BuyStopLimit or TradeCommand.SellStopLimit;

    public static bool IsFinance(this TradeCommand cmd) => !cmd.IsMarket() && !cmd.IsPending();

    /// <summary>True for commands that buy (market buy and the buy pending types).</summary>
    public static bool IsBuySide(this TradeCommand cmd) => cmd is TradeCommand.Buy or TradeCommand.BuyLimit
        or TradeCommand.BuyStop or TradeCommand.BuyStopLimit;

    /// <summary>Ledger entries that touch credit rather than balance.</summary>
    public static bool TouchesCredit(this LedgerKind kind) => kind is LedgerKind.CreditIn or LedgerKind.CreditOut;

    /// <summary>The trade command a ledger entry is shown as on the Server API.</summary>
    public static TradeCommand ToTradeCommand(this LedgerKind kind, decimal amount) => kind switch
    {
        LedgerKind.Deposit => TradeCommand.BalanceIn,
        LedgerKind.Withdrawal => TradeCommand.BalanceOut,
        LedgerKind.CreditIn => TradeCommand.CreditIn,
        LedgerKind.CreditOut => TradeCommand.CreditOut,
        LedgerKind.Commission or LedgerKind.AgentCommission => TradeCommand.Commission,
        LedgerKind.StopOutCompensation => TradeCommand.StopOutCompensation,
        LedgerKind.Bonus => TradeCommand.Bonus,
        LedgerKind.Charge => TradeCommand.Charge,
        _ => amount >= 0 ? TradeCommand.BalanceIn : TradeCommand.BalanceOut,
    };
}
