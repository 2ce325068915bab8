using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// Trading commands on orders (newer layout only): <c>place_order</c> (market orders open a position at
/// once, limit/stop orders wait), <c>cancel_order</c> and <c>update_order</c>.
/// </summary>
internal static class OrderCommands
{
    public static void Register(Dictionary<string, HandlerEntry> map)
    {
        map["place_order"] = new HandlerEntry(Replies.PlaceOrder, true, PlaceOrder);
        map["cancel_order"] = new HandlerEntry(Replies.CancelOrder, true, CancelOrder);
        map["update_order"] = new HandlerEntry(Replies.UpdateOrder, true, UpdateOrder);
    }

    private static async Task PlaceOrder(ManagerSession session, Request request)
    {
        var login = TradingTarget.Login(request);
        var symbol = request.RequiredString("asset_pair");
        var lots = request.RequiredDecimal("lots_amount");
        var buy = request.OptionalBool("is_buy") ?? throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        var stopLoss = request.OptionalDecimal("sl_price") ?? 0;
        var takeProfit = request.OptionalDecimal("tp_price") ?? 0;
        var metadata = request.OptionalStringMap("metadata");
        var orderType = request.RequiredString("order_type");
        var desiredPrice = request.OptionalDecimal("desire_price");
        var processId = request.RequiredString("process_id");
        if (orderType is not ("market" or "limit" or "stop")) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        var volume = TradingTarget.Volume(lots);
        if (stopLoss < 0) throw new RequestRejectedException(ManagerErrors.InvalidSl);
        if (takeProfit < 0) throw new RequestRejectedException(ManagerErrors.InvalidTp);
        if (orderType != "market" && desiredPrice is not > 0) throw new RequestRejectedException(ManagerErrors.InvalidDesirePrice);

        var key = ManagerSession.TradingKey("place_order", processId);
        var context = await TradingTarget.Load(session, login, symbol);
        if (!context.Enabled && !await session.IsRetryAsync(key)) throw new RequestRejectedException(ManagerErrors.AccountTradingDisabled);
        var apiData = metadata is null ? "" : Metadata.Serialize(metadata);
        var runner = session.Context.Runner;
        CommandResult<TradeRecord> result;
        if (orderType == "market")
        {
            result = await runner.SubmitAsync(new OpenPosition(login, context.Symbol!, buy ? TradeCommand.Buy : TradeCommand.Sell, volume)
            {
                StopLoss = stopLoss,
                TakeProfit = takeProfit,
                ApiData = apiData,
                Reason = TradeReason.Dealer,
                Actor = session.Actor,
                IdempotencyKey = key,
            });
            session.Answered(result.Sequence);
        }
        else
        {
            var type = (orderType, buy) switch
            {
                ("limit", true) => TradeCommand.BuyLimit,
                ("limit", false) => TradeCommand.SellLimit,
                (_, true) => TradeCommand.BuyStop,
                _ => TradeCommand.SellStop,
            };
            result = await runner.SubmitAsync(new PlacePendingOrder(login, context.Symbol!, type, volume, desiredPrice!.Value)
            {
                StopLoss = stopLoss,
                TakeProfit = takeProfit,
                ApiData = apiData,
                Reason = TradeReason.Dealer,
                Actor = session.Actor,
                IdempotencyKey = key,
            });
            session.Answered(result.Sequence);
        }
        // A retry answers the original order (a pending order stays pending in the answer even if it has executed since).
        var trade = TradingTarget.Check(result, TradeTarget.NewOrder, stopLoss != 0);
        var view = new OrderView(trade, context.Currency, trade.Command.IsMarket() ? OrderStatus.Executed : OrderStatus.Pending);
        session.Send(Replies.Single(request.Dialect, request.MessageId, Replies.PlaceOrder, view, TradingModels.WriteOrder));
    }

    private static async Task CancelOrder(ManagerSession session, Request request)
    {
        var login = TradingTarget.Login(request);
        var ticket = request.RequiredId("order_id", EntityKind.Order);
        var force = request.OptionalBool("force") ?? false;
        var context = await TradingTarget.Load(session, login, null, ticket);
        if (context.Trade is not { IsPendingOrder: true }) throw new RequestRejectedException(ManagerErrors.OrderNotFound);
        if (!context.Enabled && !force) throw new RequestRejectedException(ManagerErrors.AccountTradingDisabled);
        var result = await session.Context.Runner.SubmitAsync(new CancelPendingOrder(login, ticket) { Actor = session.Actor });
        session.Answered(result.Sequence);
        var trade = TradingTarget.Check(result, TradeTarget.PendingOrder, false);
        session.Send(Replies.Single(request.Dialect, request.MessageId, Replies.CancelOrder,
            new OrderView(trade, context.Currency, OrderStatus.Canceled), TradingModels.WriteOrder));
    }

    private static async Task UpdateOrder(ManagerSession session, Request request)
    {
        var login = TradingTarget.Login(request);
        var ticket = request.RequiredId("order_id", EntityKind.Order);
        var processId = request.RequiredString("process_id");
        var stopLoss = request.OptionalDecimal("sl_price");
        var takeProfit = request.OptionalDecimal("tp_price");
        var desiredPrice = request.OptionalDecimal("desire_price");
        var lots = request.OptionalDecimal("lots_amount");
        var metadata = MetadataUpdate.Read(request);
        if (stopLoss < 0) throw new RequestRejectedException(ManagerErrors.InvalidSl);
        if (takeProfit < 0) throw new RequestRejectedException(ManagerErrors.InvalidTp);
        if (desiredPrice is <= 0) throw new RequestRejectedException(ManagerErrors.InvalidDesirePrice);
        int? volume = lots is { } l ? TradingTarget.Volume(l) : null;

        var key = ManagerSession.TradingKey("update_order", processId);
        var retry = await session.FindRetryAsync(key);
        var context = await TradingTarget.Load(session, login, null, ticket);
        TradeRecord order;
        if (retry?.Trade is { } updated)
        {
            // Metadata is merged onto the order as the first attempt left it: merging the same update again gives
            // the same result, so the retried command matches the original and the engine answers its outcome.
            order = updated;
        }
        else
        {
            if (context.Trade is not { IsPendingOrder: true } pending) throw new RequestRejectedException(ManagerErrors.OrderNotFound);
            if (!context.Enabled) throw new RequestRejectedException(ManagerErrors.AccountTradingDisabled);
            order = pending;
        }
        var result = await session.Context.Runner.SubmitAsync(new ModifyPendingOrder(login, ticket)
        {
            Price = desiredPrice,
            Volume = volume,
            StopLoss = stopLoss,
            TakeProfit = takeProfit,
            ApiData = metadata?.Apply(Metadata.Of(order)),
            Actor = session.Actor,
            IdempotencyKey = key,
        });
        session.Answered(result.Sequence);
        var trade = TradingTarget.Check(result, TradeTarget.PendingOrder, stopLoss is not null);
        session.Send(Replies.Single(request.Dialect, request.MessageId, Replies.UpdateOrder,
            new OrderView(trade, context.Currency, OrderStatus.Pending), TradingModels.WriteOrder));
    }
}
