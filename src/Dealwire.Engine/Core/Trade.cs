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
    public decimal Commission;
    public decimal AgentCommission;
    public decimal Swap;
    public decimal Taxes;
    public decimal MarginInitial;
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
    public long LastSwapTime;

    public bool IsBuy => Command.IsBuySide();

    public TradeRecord ToRecord(decimal profit) => new()
    {
        Ticket = Ticket,
        Login = Account.Login,
        Symbol = Symbol.Config.Name,
        Digits = Symbol.Config.Digits,
        Command = Command,
        Volume = Volume,
        State = State,
        OpenTime = OpenTime,
        OpenPrice = OpenPrice,
        StopLimitPrice = StopLimitPrice,
        StopLoss = StopLoss,
        TakeProfit = TakeProfit,
        TrailingDistance = TrailingDistance,
        ExpirationMode = ExpirationMode,
        Expiration = Expiration,
        Commission = Commission,
        AgentCommission = AgentCommission,
        Swap = Swap,
        Profit = profit,
        Taxes = Taxes,
        MarginInitial = MarginInitial,
        OpenRate = OpenRate,
        Reason = Reason,
        Activation = Activation,
        Magic = Magic,
        Comment = Comment,
        ClosedVolume = ClosedVolume,
        UpdateTime = UpdateTime,
        ChangedBy = ChangedBy,
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
    };
}
