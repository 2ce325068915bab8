using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Engine;
using Dealwire.Integration.Hosting;
using Grpc.Core;
using EngineCommands = Dealwire.Engine.Commands;

namespace Dealwire.Integration.Trading;

/// <summary>Pending orders: place (limit or stop), change TP/SL, cancel.</summary>
public sealed partial class EngineIntegrationService
{
    public override async Task<OpenPendingGrpcResponse> OpenPending(OpenPendingOrderGrpcRequest request, ServerCallContext context)
    {
        var caller = Trader(context);
        var processId = Refusals.ProcessId(request.ProcessId);
        var metadata = CheckMetadata(request.Metadata);
        var ct = context.CancellationToken;
        var (code, target) = TradingTarget.Resolve(gateway.View, caller, request.AccountId, request.TraderId, request.Instrument);
        if (target is null) return new OpenPendingGrpcResponse { Status = code };
        if (WireNumbers.Volume(request.Lots) is not { } volume) return new OpenPendingGrpcResponse { Status = EngineOperationCode.OperationIsTooLow };
        if (!WireNumbers.TryDecimal(request.DesiredPrice, out var price) || price <= 0) return new OpenPendingGrpcResponse { Status = EngineOperationCode.NoLiquidity };
        var buy = request.Side == EnginePositionSideGrpcModel.Buy;
        var type = (buy, request.OrderType) switch
        {
            (true, EnginePendingOrderType.Limit) => TradeCommand.BuyLimit,
            (false, EnginePendingOrderType.Limit) => TradeCommand.SellLimit,
            (true, EnginePendingOrderType.Stop) => TradeCommand.BuyStop,
            (false, EnginePendingOrderType.Stop) => TradeCommand.SellStop,
            _ => throw Refusals.InvalidArgument($"OrderType {(int)request.OrderType} is not an EnginePendingOrderType"),
        };
        var plan = PlanFor(target, buy, volume / 100m, price);
        var tp = plan.TakeProfit(request.HasTpInAssetPrice ? request.TpInAssetPrice : null, request.HasTpInCurrency ? request.TpInCurrency : null, out var tpValid);
        var sl = plan.StopLoss(request.HasSlInAssetPrice ? request.SlInAssetPrice : null, request.HasSlInCurrency ? request.SlInCurrency : null, out var slValid);
        if (!tpValid || !slValid) return new OpenPendingGrpcResponse { Status = EngineOperationCode.MultiplierIsNotFound };

        var key = IdempotencyKeys.For("OpenPending", processId);
        if (!target.TradingEnabled && await gateway.FindRetryAsync(caller.Actor, key, ct) is null)
        {
            return new OpenPendingGrpcResponse { Status = EngineOperationCode.TradingDisabled };
        }
        var result = await gateway.SubmitAsync(new EngineCommands.PlacePendingOrder(target.Account.Profile.Login, target.Symbol!.Name, type, volume, price)
        {
            IdempotencyKey = key,
            TakeProfit = tp ?? 0,
            StopLoss = sl ?? 0,
            ApiData = TradeMarks.Serialize(metadata, processId),
            Actor = caller.Actor,
        }, ct);
        var response = new OpenPendingGrpcResponse { Status = EngineCodes.Map(result.Code, sl is not null, target.BelowMinimum(gateway.View, volume)) };
        if (result.IsOk && result.Value is { } order)
        {
            response.Order = await gateway.ReadAfterAsync(result.Sequence, v => _models.Pending(v.GetOpenTrade(order.Ticket) ?? order), ct);
        }
        return response;
    }

    /// <summary>
    /// The vendor's request has no ProcessId, so a cancel is not keyed: cancelling an order already cancelled answers
    /// PositionNotFound (the enum's code for a missing position or order), which is what a retry then sees.
    /// </summary>
    public override async Task<CancelPendingGrpcResponse> CancelPending(CancelPendingOrderGrpcRequest request, ServerCallContext context)
    {
        var caller = Trader(context);
        var ct = context.CancellationToken;
        var (code, target) = TradingTarget.Resolve(gateway.View, caller, request.AccountId, request.TraderId, tradeId: request.Id);
        if (target is null) return new CancelPendingGrpcResponse { Status = code };
        if (target.Trade is not { IsPendingOrder: true } order) return new CancelPendingGrpcResponse { Status = EngineOperationCode.PositionNotFound };
        if (!target.TradingEnabled) return new CancelPendingGrpcResponse { Status = EngineOperationCode.TradingDisabled };
        var result = await gateway.SubmitAsync(new EngineCommands.CancelPendingOrder(order.Login, order.Ticket) { Actor = caller.Actor }, ct);
        var response = new CancelPendingGrpcResponse { Status = EngineCodes.Map(result.Code) };
        if (result.IsOk && result.Value is { } cancelled) response.Order = await gateway.ReadAfterAsync(result.Sequence, _ => _models.Pending(cancelled), ct);
        return response;
    }

    public override async Task<UpdatePendingOrderTpSlResponse> UpdatePendingSlTp(UpdatePendingOrderSlTpGrpcRequest request, ServerCallContext context)
    {
        var caller = Trader(context);
        var processId = Refusals.ProcessId(request.ProcessId);
        var ct = context.CancellationToken;
        var (code, target) = TradingTarget.Resolve(gateway.View, caller, request.AccountId, request.TraderId, tradeId: request.Id);
        if (target is null) return new UpdatePendingOrderTpSlResponse { Status = code };
        var key = IdempotencyKeys.For("UpdatePendingSlTp", processId);
        var retry = await gateway.FindRetryAsync(caller.Actor, key, ct);
        var order = retry?.Trade ?? target.Trade;
        if (order is null || (retry is null && !order.IsPendingOrder)) return new UpdatePendingOrderTpSlResponse { Status = EngineOperationCode.PositionNotFound };
        if (!target.TradingEnabled && retry is null) return new UpdatePendingOrderTpSlResponse { Status = EngineOperationCode.TradingDisabled };
        var plan = PlanFor(target, order);
        var tp = plan.TakeProfit(request.HasTpInAssetPrice ? request.TpInAssetPrice : null, request.HasTpInCurrency ? request.TpInCurrency : null, out var tpValid);
        var sl = plan.StopLoss(request.HasSlInAssetPrice ? request.SlInAssetPrice : null, request.HasSlInCurrency ? request.SlInCurrency : null, out var slValid);
        if (!tpValid || !slValid) return new UpdatePendingOrderTpSlResponse { Status = EngineOperationCode.MultiplierIsNotFound };

        var result = await gateway.SubmitAsync(new EngineCommands.ModifyPendingOrder(order.Login, order.Ticket)
        {
            StopLoss = sl,
            TakeProfit = tp,
            IdempotencyKey = key,
            Actor = caller.Actor,
        }, ct);
        var response = new UpdatePendingOrderTpSlResponse { Status = EngineCodes.Map(result.Code, sl is not null) };
        if (result.IsOk && result.Value is { } updated)
        {
            response.Position = await gateway.ReadAfterAsync(result.Sequence, v => _models.Pending(v.GetOpenTrade(updated.Ticket) ?? updated), ct);
        }
        return response;
    }
}
