using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Engine;
using Dealwire.Integration.Hosting;
using Grpc.Core;
using EngineCommands = Dealwire.Engine.Commands;

namespace Dealwire.Integration.Trading;

/// <summary>Market positions: open, close, change TP/SL.</summary>
public sealed partial class EngineIntegrationService
{
    public override async Task<OpenPositionGrpcResponse> OpenPosition(OpenPositionGrpcRequest request, ServerCallContext context)
    {
        var caller = Trader(context);
        var processId = Refusals.ProcessId(request.ProcessId);
        var metadata = CheckMetadata(request.Metadata);
        var ct = context.CancellationToken;
        var (code, target) = TradingTarget.Resolve(gateway.View, caller, request.AccountId, request.TraderId, request.Instrument);
        if (target is null) return new OpenPositionGrpcResponse { Status = code };
        if (WireNumbers.Volume(request.Lots) is not { } volume) return new OpenPositionGrpcResponse { Status = EngineOperationCode.OperationIsTooLow };
        var buy = request.Side == EnginePositionSideGrpcModel.Buy;
        var plan = PlanFor(target, buy, volume / 100m, null);
        var tp = plan.TakeProfit(request.HasTpInAssetPrice ? request.TpInAssetPrice : null, request.HasTpInCurrency ? request.TpInCurrency : null, out var tpValid);
        var sl = plan.StopLoss(request.HasSlInAssetPrice ? request.SlInAssetPrice : null, request.HasSlInCurrency ? request.SlInCurrency : null, out var slValid);
        if (!tpValid || !slValid) return new OpenPositionGrpcResponse { Status = EngineOperationCode.MultiplierIsNotFound };

        var key = IdempotencyKeys.For("OpenPosition", processId);
        if (!target.TradingEnabled && await gateway.FindRetryAsync(caller.Actor, key, ct) is null)
        {
            return new OpenPositionGrpcResponse { Status = EngineOperationCode.TradingDisabled };
        }
        var result = await gateway.SubmitAsync(new EngineCommands.OpenPosition(target.Account.Profile.Login, target.Symbol!.Name,
            buy ? TradeCommand.Buy : TradeCommand.Sell, volume)
        {
            IdempotencyKey = key,
            TakeProfit = tp ?? 0,
            StopLoss = sl ?? 0,
            ApiData = TradeMarks.Serialize(metadata, processId),
            Actor = caller.Actor,
        }, ct);
        var response = new OpenPositionGrpcResponse { Status = EngineCodes.Map(result.Code, sl is not null, target.BelowMinimum(gateway.View, volume)) };
        if (result.IsOk && result.Value is { } trade)
        {
            response.Position = await gateway.ReadAfterAsync(result.Sequence, v => _models.Active(v.GetOpenTrade(trade.Ticket) ?? trade), ct);
        }
        return response;
    }

    public override async Task<ClosePositionGrpcResponse> ClosePosition(ClosePositionGrpcRequest request, ServerCallContext context)
    {
        var caller = Trader(context);
        var processId = Refusals.ProcessId(request.ProcessId);
        var ct = context.CancellationToken;
        var (code, target) = TradingTarget.Resolve(gateway.View, caller, request.AccountId, request.TraderId, tradeId: request.Id);
        if (target is null) return new ClosePositionGrpcResponse { Status = code };
        if (WireNumbers.Login(request.Id) is not { } ticket) return new ClosePositionGrpcResponse { Status = EngineOperationCode.PositionNotFound };
        var key = IdempotencyKeys.For("ClosePosition", processId);
        // A retry of a close that went through finds the position gone: the engine answers the original close.
        var refusal = target.Trade is not { IsOpenPosition: true } ? EngineOperationCode.PositionNotFound
            : !target.TradingEnabled ? EngineOperationCode.TradingDisabled
            : (EngineOperationCode?)null;
        if (refusal is { } r && await gateway.FindRetryAsync(caller.Actor, key, ct) is null) return new ClosePositionGrpcResponse { Status = r };

        var result = await gateway.SubmitAsync(new EngineCommands.ClosePosition(target.Account.Profile.Login, ticket)
        {
            IdempotencyKey = key,
            Comment = request.Reason.ToString(),
            Actor = caller.Actor,
        }, ct);
        var response = new ClosePositionGrpcResponse { Status = EngineCodes.Map(result.Code) };
        if (result.IsOk && result.Value is { } closed)
        {
            response.Position = await gateway.ReadAfterAsync(result.Sequence, _ => _models.Closed(closed, processId, request.Reason), ct);
        }
        return response;
    }

    public override async Task<UpdateActiveSlTpGrpcResponse> UpdateActiveSlTp(UpdateActiveSlTpGrpcRequest request, ServerCallContext context)
    {
        var caller = Trader(context);
        var processId = Refusals.ProcessId(request.ProcessId);
        var ct = context.CancellationToken;
        var (code, target) = TradingTarget.Resolve(gateway.View, caller, request.AccountId, request.TraderId, tradeId: request.Id);
        if (target is null) return new UpdateActiveSlTpGrpcResponse { Status = code };
        if (WireNumbers.Login(request.Id) is not { } ticket) return new UpdateActiveSlTpGrpcResponse { Status = EngineOperationCode.PositionNotFound };
        var key = IdempotencyKeys.For("UpdateActiveSlTp", processId);
        var retry = await gateway.FindRetryAsync(caller.Actor, key, ct);
        // A retry is rebuilt on the position as its first attempt left it, so the repeated command matches the original.
        var position = retry?.Trade ?? target.Trade;
        if (position is not { IsOpenPosition: true } && retry is null) return new UpdateActiveSlTpGrpcResponse { Status = EngineOperationCode.PositionNotFound };
        if (position is null) return new UpdateActiveSlTpGrpcResponse { Status = EngineOperationCode.PositionNotFound };
        if (!target.TradingEnabled && retry is null) return new UpdateActiveSlTpGrpcResponse { Status = EngineOperationCode.TradingDisabled };
        var plan = PlanFor(target, position);
        var tp = plan.TakeProfit(request.HasTpInAssetPrice ? request.TpInAssetPrice : null, request.HasTpInCurrency ? request.TpInCurrency : null, out var tpValid);
        var sl = plan.StopLoss(request.HasSlInAssetPrice ? request.SlInAssetPrice : null, request.HasSlInCurrency ? request.SlInCurrency : null, out var slValid);
        if (!tpValid || !slValid) return new UpdateActiveSlTpGrpcResponse { Status = EngineOperationCode.MultiplierIsNotFound };

        // A form left unset keeps the position's current level; 0 removes it.
        var result = await gateway.SubmitAsync(new EngineCommands.ModifyPosition(target.Account.Profile.Login, ticket, sl ?? position.StopLoss, tp ?? position.TakeProfit)
        {
            TrailingDistance = position.TrailingDistance,
            IdempotencyKey = key,
            Actor = caller.Actor,
        }, ct);
        var response = new UpdateActiveSlTpGrpcResponse { Status = EngineCodes.Map(result.Code, sl is not null) };
        if (result.IsOk && result.Value is { } updated)
        {
            // DECISION (spec §4.19): the documented response type is the closed-position model; fields 1-30 are filled.
            response.Position = await gateway.ReadAfterAsync(result.Sequence, v => _models.Closed(v.GetOpenTrade(ticket) ?? updated), ct);
        }
        return response;
    }
}
