using Dealwire.Engine.Model;
using Dealwire.Integration.Accounts;
using Dealwire.Integration.Auth;
using Dealwire.Integration.Contracts.Engine;
using Dealwire.Integration.Hosting;
using Dealwire.Security;
using Grpc.Core;

namespace Dealwire.Integration.Trading;

/// <summary>
/// <c>EngineIntegrationGrpcService</c>: market positions and pending orders through the engine commands the Manager
/// API's trading requests submit (OpenPosition, ClosePosition, ModifyPosition, PlacePendingOrder, ModifyPendingOrder,
/// CancelPendingOrder), under the rights those need (set_trades to change, see_trades to list). Positions are split
/// by concern: <c>.Positions.cs</c>, <c>.Pending.cs</c>, <c>.Streams.cs</c>.
/// </summary>
public sealed partial class EngineIntegrationService(IntegrationGateway gateway) : EngineIntegrationGrpcService.EngineIntegrationGrpcServiceBase
{
    private readonly PositionModels _models = new(gateway.View);

    private static Caller Trader(ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SetTrades);
        return caller;
    }

    private static Dictionary<string, string> CheckMetadata(IDictionary<string, string> metadata) =>
        metadata.Keys.Any(k => k.StartsWith("$yft.", StringComparison.Ordinal))
            ? throw Refusals.InvalidArgument("Metadata keys starting with '$yft.' are reserved")
            : new Dictionary<string, string>(metadata, StringComparer.Ordinal);

    /// <summary>The price a new trade is valued at for a currency-form stop: the desired price, else the group's quote on the filling side.</summary>
    private StopPlan PlanFor(TradingTarget target, bool buy, decimal lots, decimal? desiredPrice)
    {
        var symbol = target.Symbol!;
        var price = desiredPrice ?? (gateway.View.GetQuote(symbol.Name, target.Account.Profile.Group) is { IsSet: true } q ? (buy ? q.Ask : q.Bid) : 0m);
        return new StopPlan(price, lots, symbol, buy, price > 0 ? StopPlan.RateFor(symbol, target.Account.Margin.Currency, price) : null);
    }

    /// <summary>The plan of an existing trade (its own fill price and rate).</summary>
    private StopPlan PlanFor(TradingTarget target, TradeRecord trade)
    {
        var symbol = gateway.View.GetSymbol(trade.Symbol) ?? new SymbolConfig { Name = trade.Symbol, Digits = trade.Digits };
        var rate = trade.Command.IsMarket() ? trade.OpenRate : StopPlan.RateFor(symbol, target.Account.Margin.Currency, trade.OpenPrice);
        return new StopPlan(trade.OpenPrice, trade.Volume / 100m, symbol, trade.Command.IsBuySide(), rate);
    }

    private static string Login(TradingTarget target) => WireNumbers.Text(target.Account.Profile.Login);

    private static string Trader(TradingTarget target) => AccountModels.TraderOf(target.Account.Profile);
}
