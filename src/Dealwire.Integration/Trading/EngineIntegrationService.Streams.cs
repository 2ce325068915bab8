using Dealwire.Engine.Model;
using Dealwire.Integration.Accounts;
using Dealwire.Integration.Auth;
using Dealwire.Integration.Contracts.Engine;
using Dealwire.Integration.Hosting;
using Dealwire.Security;
using Grpc.Core;

namespace Dealwire.Integration.Trading;

/// <summary>
/// Server-streaming lists of the live view's open positions and pending orders. The view's records are immutable:
/// each is turned into a model only when the previous one has been written, and each write waits for the client's
/// HTTP/2 window (back-pressure); a cancelled call stops at the next record.
/// </summary>
public sealed partial class EngineIntegrationService
{
    public override Task GetActivePositions(GetActivePositionsGrpcRequest request, IServerStreamWriter<EngineActivePositionGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SeeTrades);
        var trades = Visible(caller, request.HasAccountId ? request.AccountId : null, request.HasTraderId ? request.TraderId : null, login => gateway.View.GetPositions(login));
        return StreamAsync(trades, _models.Active, responseStream, context.CancellationToken);
    }

    public override Task GetPendingPositions(GetPendingOrdersGrpcRequest request, IServerStreamWriter<EnginePendingOrderGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SeeTrades);
        var trades = Visible(caller, request.HasAccountId ? request.AccountId : null, request.HasTraderId ? request.TraderId : null, login => gateway.View.GetPendingOrders(login));
        return StreamAsync(trades, _models.Pending, responseStream, context.CancellationToken);
    }

    /// <summary>Trades of accounts the caller's mask covers, of one account and/or one trader when asked.</summary>
    private IEnumerable<TradeRecord> Visible(Caller caller, string? accountId, string? traderId, Func<long?, IEnumerable<TradeRecord>> read)
    {
        long? login = null;
        if (accountId is not null)
        {
            if (WireNumbers.Login(accountId) is not { } l) yield break;
            login = l;
        }
        foreach (var trade in read(login))
        {
            if (gateway.View.GetAccount(trade.Login) is not { } account || !caller.Sees(account.Profile.Group)) continue;
            if (traderId is not null && AccountModels.TraderOf(account.Profile) != traderId) continue;
            yield return trade;
        }
    }

    private static async Task StreamAsync<T>(IEnumerable<TradeRecord> trades, Func<TradeRecord, T> model, IServerStreamWriter<T> stream, CancellationToken ct)
    {
        foreach (var trade in trades)
        {
            ct.ThrowIfCancellationRequested();
            await stream.WriteAsync(model(trade), ct);
        }
    }
}
