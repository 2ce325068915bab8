using Dealwire.Engine.Model;
using Dealwire.Integration.Accounts;
using Dealwire.Integration.Contracts.Engine;
using Dealwire.Integration.Hosting;
using Dealwire.ReadModel.Live;

namespace Dealwire.Integration.Trading;

/// <summary>
/// Engine trades in the vendor's models (spec §4.1–4.4). The engine keeps a position's fill price, not the
/// bid/ask it filled against, so <c>OpenBidAsk</c>/<c>CloseBidAsk</c> carry that price on both sides; the active,
/// margin and profit prices are the group's current quote on the side that would close the position.
/// </summary>
public sealed class PositionModels(ILiveView view)
{
    public EngineActivePositionGrpcModel Active(TradeRecord t)
    {
        var c = Common.Of(view, t);
        var m = new EngineActivePositionGrpcModel
        {
            TraderId = c.TraderId, AccountId = c.AccountId, Id = c.Id, AssetPair = t.Symbol, Side = c.Side,
            ContractSize = c.ContractSize, LotsAmount = c.Lots, Created = c.Created, ProcessIdCreate = c.ProcessId,
            LastUpdateDate = c.Updated, LastUpdateProcessId = c.ProcessId, Base = c.Base, Quote = c.QuoteCurrency, Collateral = c.Collateral,
            OpenProcessId = c.ProcessId, OpenDate = c.Created, OpenBidAsk = Fill(t.Symbol, t.OpenPrice, t.OpenTime), OpenPrice = (double)t.OpenPrice,
            ActiveBidAsk = c.Live, ActivePrice = c.ActivePrice, MarginBidAsk = c.Live, MarginPrice = c.ActivePrice,
            ProfitBidAsk = c.Live, ProfitPrice = c.ActivePrice, Profit = (double)t.Profit,
            Commissions = (double)t.Commission, Swaps = (double)t.Swap,
        };
        foreach (var (k, v) in c.Metadata) m.Metadata[k] = v;
        if (t.TakeProfit > 0) { m.TpInAssetPrice = (double)t.TakeProfit; if (c.Plan.ProfitAt(t.TakeProfit) is { } p) m.TpInProfit = (double)p; }
        if (t.StopLoss > 0) { m.SlInAssetPrice = (double)t.StopLoss; if (c.Plan.ProfitAt(t.StopLoss) is { } p) m.SlInProfit = (double)p; }
        return m;
    }

    /// <summary>A closed deal; <paramref name="closeProcessId"/> and <paramref name="reason"/> come from the close request when there was one.</summary>
    public EngineClosedPositionGrpcModel Closed(TradeRecord t, string closeProcessId = "", EngineClosePositionReason? reason = null)
    {
        var c = Common.Of(view, t);
        var closed = t.CloseTime > 0;
        var m = new EngineClosedPositionGrpcModel
        {
            TraderId = c.TraderId, AccountId = c.AccountId, Id = c.Id, AssetPair = t.Symbol, Side = c.Side,
            ContractSize = c.ContractSize, LotsAmount = c.Lots, Created = c.Created, ProcessIdCreate = c.ProcessId,
            LastUpdateDate = c.Updated, LastUpdateProcessId = closeProcessId.Length > 0 ? closeProcessId : c.ProcessId,
            Base = c.Base, Quote = c.QuoteCurrency, Collateral = c.Collateral,
            OpenProcessId = c.ProcessId, OpenDate = c.Created, OpenBidAsk = Fill(t.Symbol, t.OpenPrice, t.OpenTime), OpenPrice = (double)t.OpenPrice,
            ActiveBidAsk = closed ? Fill(t.Symbol, t.ClosePrice, t.CloseTime) : c.Live,
            ActivePrice = closed ? (double)t.ClosePrice : c.ActivePrice,
            MarginBidAsk = c.Live, MarginPrice = c.ActivePrice, ProfitBidAsk = c.Live, ProfitPrice = c.ActivePrice,
            Profit = (double)t.Profit,
        };
        foreach (var (k, v) in c.Metadata) m.Metadata[k] = v;
        if (t.TakeProfit > 0) { m.TpInAssetPrice = (double)t.TakeProfit; if (c.Plan.ProfitAt(t.TakeProfit) is { } p) m.TpInProfit = (double)p; }
        if (t.StopLoss > 0) { m.SlInAssetPrice = (double)t.StopLoss; if (c.Plan.ProfitAt(t.StopLoss) is { } p) m.SlInProfit = (double)p; }
        if (closed)
        {
            m.CloseProcessId = closeProcessId;
            m.CloseDate = WireNumbers.Time(t.CloseTime);
            m.CloseBidAsk = Fill(t.Symbol, t.ClosePrice, t.CloseTime);
            m.ClosePrice = (double)t.ClosePrice;
            m.CloseReason = t.Activation switch
            {
                Activation.TakeProfit => EngineClosePositionReason.TakeProfit,
                Activation.StopLoss => EngineClosePositionReason.StopLoss,
                Activation.StopOut => EngineClosePositionReason.StopOut,
                _ => reason ?? EngineClosePositionReason.AdminCommand,
            };
        }
        return m;
    }

    public EnginePendingOrderGrpcModel Pending(TradeRecord t)
    {
        var c = Common.Of(view, t);
        var m = new EnginePendingOrderGrpcModel
        {
            TraderId = c.TraderId, AccountId = c.AccountId, Id = c.Id, AssetPair = t.Symbol, Side = c.Side,
            ContractSize = c.ContractSize, LotsAmount = c.Lots, Created = c.Created, ProcessIdCreate = c.ProcessId,
            LastUpdateDate = c.Updated, LastUpdateProcessId = c.ProcessId, Base = c.Base, Quote = c.QuoteCurrency, Collateral = c.Collateral,
            DesirePrice = (double)t.OpenPrice,
            OrderType = t.Command is TradeCommand.BuyStop or TradeCommand.SellStop ? EnginePendingOrderType.Stop : EnginePendingOrderType.Limit,
        };
        foreach (var (k, v) in c.Metadata) m.Metadata[k] = v;
        if (t.TakeProfit > 0) { m.TpInAssetPrice = (double)t.TakeProfit; if (c.Plan.ProfitAt(t.TakeProfit) is { } p) m.TpInProfit = (double)p; }
        if (t.StopLoss > 0) { m.SlInAssetPrice = (double)t.StopLoss; if (c.Plan.ProfitAt(t.StopLoss) is { } p) m.SlInProfit = (double)p; }
        return m;
    }

    private static EngineBidAsk Fill(string symbol, decimal price, long time) =>
        new() { Symbol = symbol, Bid = (double)price, Ask = (double)price, Timestamp = WireNumbers.Time(time) };

    /// <summary>The fields every model shares, read once per trade.</summary>
    private sealed record Common(string TraderId, string AccountId, string Id, EnginePositionSideGrpcModel Side, double ContractSize,
        double Lots, ulong Created, ulong Updated, string ProcessId, string Base, string QuoteCurrency, string Collateral,
        IReadOnlyDictionary<string, string> Metadata, EngineBidAsk Live, double ActivePrice, StopPlan Plan)
    {
        public static Common Of(ILiveView view, TradeRecord t)
        {
            var account = view.GetAccount(t.Login);
            var symbol = view.GetSymbol(t.Symbol) ?? new SymbolConfig { Name = t.Symbol, Digits = t.Digits };
            var quote = view.GetQuote(t.Symbol, account?.Profile.Group) ?? default;
            var buy = t.Command.IsBuySide();
            var (metadata, processId) = TradeMarks.Parse(t.ApiData);
            var collateral = account?.Margin.Currency ?? "";
            // Open positions carry the rate of their fill; pending orders take it from their price as StopLevels does.
            decimal? rate = t.Command.IsMarket() ? t.OpenRate : StopPlan.RateFor(symbol, collateral, t.OpenPrice);
            var live = new EngineBidAsk { Symbol = t.Symbol, Bid = (double)quote.Bid, Ask = (double)quote.Ask, Timestamp = WireNumbers.Time(quote.Time) };
            return new Common(
                account is null ? WireNumbers.Text(t.Login) : AccountModels.TraderOf(account.Profile), WireNumbers.Text(t.Login), WireNumbers.Text(t.Ticket),
                buy ? EnginePositionSideGrpcModel.Buy : EnginePositionSideGrpcModel.Sell, (double)symbol.ContractSize, t.Volume / 100.0,
                WireNumbers.Time(t.OpenTime), WireNumbers.Time(Math.Max(t.UpdateTime, t.OpenTime)), processId, symbol.BaseCurrency,
                symbol.ProfitCurrency, collateral, metadata, live, (double)(buy ? quote.Bid : quote.Ask),
                new StopPlan(t.OpenPrice, t.Volume / 100m, symbol, buy, rate));
        }
    }
}
