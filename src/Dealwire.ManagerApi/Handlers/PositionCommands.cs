using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// <c>close_position</c> (full close at market; <c>force</c> passes the account-disabled gate) and
/// <c>update_position</c> (SL/TP and metadata) — newer layout only.
/// </summary>
internal static class PositionCommands
{
    public static void Register(Dictionary<string, HandlerEntry> map)
    {
        map["close_position"] = new HandlerEntry(Replies.ClosePosition, true, ClosePosition);
        map["update_position"] = new HandlerEntry(Replies.UpdatePosition, true, UpdatePosition);
    }

    private static async Task ClosePosition(ManagerSession session, Request request)
    {
        var login = TradingTarget.Login(request);
        var ticket = request.RequiredId("position_id", EntityKind.Position);
        var processId = request.RequiredString("process_id");
        var force = request.OptionalBool("force") ?? false;
        var key = ManagerSession.TradingKey("close_position", processId);
        var context = await TradingTarget.Load(session, login, null, ticket);
        // A retry of a close that went through finds the position closed: the engine answers the original close.
        var positionGone = context.Trade is not { IsOpenPosition: true };
        if ((positionGone || (!context.Enabled && !force)) && !await session.IsRetryAsync(key))
        {
            throw new RequestRejectedException(positionGone ? ManagerErrors.PositionNotFound : ManagerErrors.AccountTradingDisabled);
        }
        var result = await session.Context.Runner.SubmitAsync(new Engine.Commands.ClosePosition(login, ticket)
        {
            Force = force,
            Actor = session.Actor,
            IdempotencyKey = key,
        });
        session.Answered(result.Sequence);
        var trade = TradingTarget.Check(result, TradeTarget.Position, false);
        session.Send(Replies.Single(request.Dialect, request.MessageId, Replies.ClosePosition,
            new OrderView(trade, context.Currency, OrderStatus.Executed, IsClose: true), TradingModels.WriteOrder));
    }

    private static async Task UpdatePosition(ManagerSession session, Request request)
    {
        var login = TradingTarget.Login(request);
        var ticket = request.RequiredId("position_id", EntityKind.Position);
        var processId = request.RequiredString("process_id");
        var stopLoss = request.OptionalDecimal("sl_price");
        var takeProfit = request.OptionalDecimal("tp_price");
        var metadata = MetadataUpdate.Read(request);
        if (stopLoss < 0) throw new RequestRejectedException(ManagerErrors.InvalidSl);
        if (takeProfit < 0) throw new RequestRejectedException(ManagerErrors.InvalidTp);
        // Up to two engine commands, each under its own key: stops, then metadata.
        var stopsKey = ManagerSession.TradingKey("update_position", processId);
        var metadataKey = stopsKey + ":metadata";
        var (stopsRetry, metadataRetry) = await session.FindRetriesAsync(stopsKey, metadataKey);
        var context = await TradingTarget.Load(session, login, null, ticket);
        TradeRecord position;
        if ((stopsRetry ?? metadataRetry)?.Trade is { } updated)
        {
            // Rebuilt on the position as the first attempt left it: unchanged stops and a metadata merge repeat
            // the same values, so both commands match their originals and change nothing.
            position = updated;
        }
        else
        {
            if (context.Trade is not { IsOpenPosition: true } open) throw new RequestRejectedException(ManagerErrors.PositionNotFound);
            if (!context.Enabled) throw new RequestRejectedException(ManagerErrors.AccountTradingDisabled);
            position = open;
        }
        var runner = session.Context.Runner;
        if (stopLoss is not null || takeProfit is not null)
        {
            var modified = await runner.SubmitAsync(new ModifyPosition(login, ticket, stopLoss ?? position.StopLoss, takeProfit ?? position.TakeProfit)
            {
                TrailingDistance = position.TrailingDistance,
                Actor = session.Actor,
                IdempotencyKey = stopsKey,
            });
            session.Answered(modified.Sequence);
            position = TradingTarget.Check(modified, TradeTarget.Position, stopLoss is not null);
        }
        if (metadata is not null)
        {
            var edited = await runner.SubmitAsync(new EditTrade(ticket) { ApiData = metadata.Apply(Metadata.Of(position)), Actor = session.Actor, IdempotencyKey = metadataKey });
            session.Answered(edited.Sequence);
            position = TradingTarget.Check(edited, TradeTarget.Position, false);
        }
        var mask = session.Mask;
        var answered = position;
        var view = await session.ReadAsync(r => new ViewReader(r, mask).Position(r.GetOpenTrade(ticket) ?? answered));
        session.Send(Replies.Single(request.Dialect, request.MessageId, Replies.UpdatePosition, view, TradingModels.WritePosition));
    }
}
