using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>An open position or a pending order as the engine holds it (mutable, engine thread only).</summary>
internal sealed class Trade
{
    public long Ticket;
    public Account Account = null!;
    public SymbolState Symbol = null!;
    public TradeCommand Command;
    public int Volume;
    public TradeState State;
    public long OpenTime;
    public decimal OpenPrice;
    public decimal StopLimitPrice;
    public decimal StopLoss;
    public decimal TakeProfit;
    public int TrailingDistance;
    public ExpirationMode ExpirationMode;
    public long Expiration;
    /// <summary>Commission booked so far; an open position's changes are mirrored in its account's running sum.</summary>
    public decimal Commission
    {
        get => _commission;
        set
        {
            if (InAccountTotals) Account.ChangeOpenCommission(_commission, value);
            _commission = value;
        }
    }

    private decimal _commission;

    /// <summary>The position is on its account's books (counted in <see cref="Core.Account.OpenCommission"/>).</summary>
    public bool InAccountTotals;

    public decimal AgentCommission;
    public decimal Swap;
    public decimal Taxes;
    public decimal MarginInitial;
    /// <summary>Margin-currency → account-currency rate the margin was converted at when the position opened.</summary>
    public decimal MarginRate;
    public decimal OpenRate = 1m;
    public TradeReason Reason;
    public Activation Activation;
    public long Magic;
    public string Comment = "";
    public int ClosedVolume;
    public long UpdateTime;
    public string ChangedBy = "";
    public string GatewayOrder = "";
    public string GatewaySource = "";
    public string GatewayUuid = "";
    public string ApiData = "";
    /// <summary>The pending order this position was activated from (null for a market deal).</summary>
    public PendingOrigin? ActivatedFrom;
    /// <summary>The last rollover that charged or credited swap on this position (engine ms; 0 = none yet).</summary>
    public long LastSwapTime;

    public bool IsBuy => Command.IsBuySide();

    /// <summary>Profit of <paramref name="volume"/> of this position closed at a price, exactly in account currency (unrounded).</summary>
    public decimal ProfitAt(decimal closePrice, int volume, ConversionRate rate)
    {
        var move = IsBuy ? closePrice - OpenPrice : OpenPrice - closePrice;
        return rate.Apply(move * volume * Symbol.ProfitFactor);
    }

    public TradeRecord ToRecord(decimal profit) =>
        BuildRecord(profit, Ticket, Volume, State, Activation, Swap, Commission, AgentCommission, UpdateTime, ChangedBy, 0, 0m, 1m, 0, 0);

    /// <summary>
    /// The record of a close: the position as it is, with the closed volume, its share of swap and
    /// commission and the close figures. Built in one step (no copy of an intermediate record).
    /// </summary>
    public TradeRecord ToClosedRecord(decimal profit, long recordTicket, long closeOrderTicket, int volume, TradeState state, Activation activation,
        long closeTime, decimal closePrice, decimal closeRate, decimal swap, decimal commission, decimal agentCommission, long updateTime, string changedBy)
    {
        return BuildRecord(profit, recordTicket, volume, state, activation, swap, commission, agentCommission, updateTime, changedBy,
            closeTime, closePrice, closeRate, recordTicket == Ticket ? 0 : Ticket, closeOrderTicket);
    }

    /// <summary>The record of a pending order leaving the book (cancelled, expired, activated or refused).</summary>
    public TradeRecord ToRetiredRecord(TradeState state, Activation activation, long time, string changedBy)
    {
        return BuildRecord(0m, Ticket, Volume, state, activation, Swap, Commission, AgentCommission, time, changedBy, time, 0m, 1m, 0, 0);
    }

    private TradeRecord BuildRecord(decimal profit, long ticket, int volume, TradeState state, Activation activation, decimal swap,
        decimal commission, decimal agentCommission, long updateTime, string changedBy, long closeTime, decimal closePrice, decimal closeRate,
        long parentTicket, long closeOrderTicket) => new()
    {
        Ticket = ticket,
        Login = Account.Login,
        Symbol = Symbol.Config.Name,
        Digits = Symbol.Config.Digits,
        Command = Command,
        Volume = volume,
        State = state,
        OpenTime = OpenTime,
        OpenPrice = OpenPrice,
        StopLimitPrice = StopLimitPrice,
        StopLoss = StopLoss,
        TakeProfit = TakeProfit,
        TrailingDistance = TrailingDistance,
        ExpirationMode = ExpirationMode,
        Expiration = Expiration,
        CloseTime = closeTime,
        ClosePrice = closePrice,
        Commission = commission,
        AgentCommission = agentCommission,
        Swap = swap,
        Profit = profit,
        Taxes = Taxes,
        MarginInitial = MarginInitial,
        MarginRate = MarginRate,
        LastSwapTime = LastSwapTime,
        OpenRate = OpenRate,
        CloseRate = closeRate,
        Reason = Reason,
        Activation = activation,
        Magic = Magic,
        Comment = Comment,
        ParentTicket = parentTicket,
        CloseOrderTicket = closeOrderTicket,
        ActivatedFrom = ActivatedFrom,
        ClosedVolume = ClosedVolume,
        UpdateTime = updateTime,
        ChangedBy = changedBy,
        GatewayOrder = GatewayOrder,
        GatewaySource = GatewaySource,
        GatewayUuid = GatewayUuid,
        ApiData = ApiData,
    };

    public static Trade FromRecord(TradeRecord r, Account account, SymbolState symbol) => new()
    {
        Ticket = r.Ticket,
        Account = account,
        Symbol = symbol,
        Command = r.Command,
        Volume = r.Volume,
        State = r.State,
        OpenTime = r.OpenTime,
        OpenPrice = r.OpenPrice,
        StopLimitPrice = r.StopLimitPrice,
        StopLoss = r.StopLoss,
        TakeProfit = r.TakeProfit,
        TrailingDistance = r.TrailingDistance,
        ExpirationMode = r.ExpirationMode,
        Expiration = r.Expiration,
        Commission = r.Commission,
        AgentCommission = r.AgentCommission,
        Swap = r.Swap,
        Taxes = r.Taxes,
        MarginInitial = r.MarginInitial,
        MarginRate = r.MarginRate,
        LastSwapTime = r.LastSwapTime,
        OpenRate = r.OpenRate,
        Reason = r.Reason,
        Activation = r.Activation,
        Magic = r.Magic,
        Comment = r.Comment,
        ClosedVolume = r.ClosedVolume,
        UpdateTime = r.UpdateTime,
        ChangedBy = r.ChangedBy,
        GatewayOrder = r.GatewayOrder,
        GatewaySource = r.GatewaySource,
        GatewayUuid = r.GatewayUuid,
        ApiData = r.ApiData,
        ActivatedFrom = r.ActivatedFrom,
    };
}
