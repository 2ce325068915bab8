using System.Text.Json;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    /// <summary><c>MngOpenTrade</c>: queues a market order; the result arrives later as a <see cref="TradeEvents"/> item.</summary>
    public Task<TradeAck> OpenTradeAsync(OpenTradeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MngOpenTrade", request, ClientJsonContext.Default.OpenTradeRequest, ClientJsonContext.Default.TradeAck, cancellationToken);

    /// <summary><c>MngOpenTradeSync</c>: opens a market position and returns it once executed.</summary>
    public Task<TradeRecord> OpenTradeSyncAsync(OpenTradeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MngOpenTradeSync", request, ClientJsonContext.Default.OpenTradeRequest, ClientJsonContext.Default.TradeRecord, cancellationToken);

    /// <summary><c>MngOpenPendingTrade</c>: queues a pending (limit/stop) order.</summary>
    public Task<TradeAck> OpenPendingTradeAsync(PendingOrderRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MngOpenPendingTrade", request, ClientJsonContext.Default.PendingOrderRequest, ClientJsonContext.Default.TradeAck, cancellationToken);

    /// <summary><c>MngCloseTrade</c>: queues a full or partial close.</summary>
    public Task<TradeAck> CloseTradeAsync(CloseTradeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MngCloseTrade", request, ClientJsonContext.Default.CloseTradeRequest, ClientJsonContext.Default.TradeAck, cancellationToken);

    /// <summary><c>MngCloseTradeSync</c>: closes (fully or partially) and returns the trade once executed.</summary>
    public Task<TradeRecord> CloseTradeSyncAsync(CloseTradeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MngCloseTradeSync", request, ClientJsonContext.Default.CloseTradeRequest, ClientJsonContext.Default.TradeRecord, cancellationToken);

    /// <summary><c>MngUpdateTrade</c>: changes stops or comment of a trade.</summary>
    public Task<TradeAck> UpdateTradeAsync(TradeUpdateRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MngUpdateTrade", request, ClientJsonContext.Default.TradeUpdateRequest, ClientJsonContext.Default.TradeAck, cancellationToken);

    /// <summary><c>MngCancelPendingTrade</c>: cancels a pending order.</summary>
    public Task<TradeAck> CancelPendingTradeAsync(long order, CancellationToken cancellationToken = default) =>
        CallAsync("MngCancelPendingTrade", new OrderRequest(order), ClientJsonContext.Default.OrderRequest, ClientJsonContext.Default.TradeAck, cancellationToken);

    /// <summary><c>GetTradesByGroup</c>: trades of the accounts in the group mask; open ones only, or all.</summary>
    public async Task<IReadOnlyList<TradeRecord>> GetTradesByGroupAsync(string groupMask = "*", bool openOnly = true, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new TradesByGroupRequest(groupMask, openOnly ? 1 : 0), ClientJsonContext.Default.TradesByGroupRequest);
        var data = await SendAsync("GetTradesByGroup", body, cancellationToken).ConfigureAwait(false);
        return TableReader.Records("GetTradesByGroup", data, ClientJsonContext.Default.TradeRecord);
    }

    /// <summary><c>GetTradesHistoryByLogin</c>: closed trades of an account between two times.</summary>
    public async Task<IReadOnlyList<TradeRecord>> GetTradesHistoryAsync(long login, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new TradesHistoryRequest(login, from.ToUnixTimeSeconds(), to.ToUnixTimeSeconds()),
            ClientJsonContext.Default.TradesHistoryRequest);
        var data = await SendAsync("GetTradesHistoryByLogin", body, cancellationToken).ConfigureAwait(false);
        return TableReader.Records("GetTradesHistoryByLogin", data, ClientJsonContext.Default.TradeRecord);
    }
}
