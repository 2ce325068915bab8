using Dealwire.Engine.Commands;
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
        await session.Replay(request, Replies.ClosePosition, processId, async () =>
        {
            var context = await TradingTarget.Load(session, login, null, ticket);
            if (context.Trade is not { IsOpenPosition: true }) throw new RequestRejectedException(ManagerErrors.PositionNotFound);
            if (!context.Enabled && !force) throw new RequestRejectedException(ManagerErrors.AccountTradingDisabled);
            var result = await session.Context.Runner.SubmitAsync(new Engine.Commands.ClosePosition(login, ticket)
            {
                Force = force,
                Actor = session.Actor,
            });
            var trade = TradingTarget.Check(result, TradeTarget.Position, false);
            return new OrderView(trade, context.Currency, OrderStatus.Executed, IsClose: true);
        });
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
        await session.Replay(request, Replies.UpdatePosition, processId, async () =>
        {
            var context = await TradingTarget.Load(session, login, null, ticket);
            if (context.Trade is not { IsOpenPosition: true } position) throw new RequestRejectedException(ManagerErrors.PositionNotFound);
            if (!context.Enabled) throw new RequestRejectedException(ManagerErrors.AccountTradingDisabled);
            var runner = session.Context.Runner;
            if (stopLoss is not null || takeProfit is not null)
            {
                var modified = await runner.SubmitAsync(new ModifyPosition(login, ticket, stopLoss ?? position.StopLoss, takeProfit ?? position.TakeProfit)
                {
                    TrailingDistance = position.TrailingDistance,
                    Actor = session.Actor,
                });
                position = TradingTarget.Check(modified, TradeTarget.Position, stopLoss is not null);
            }
            if (metadata is not null)
            {
                var edited = await runner.SubmitAsync(new EditTrade(ticket) { ApiData = metadata.Apply(Metadata.Of(position)), Actor = session.Actor });
                position = TradingTarget.Check(edited, TradeTarget.Position, false);
            }
            var mask = session.Mask;
            return await runner.QueryAsync(r => new ViewReader(r, mask).Position(r.GetTrade(ticket) ?? position));
        });
    }
}
