using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.ReadModel.History;
using Dealwire.Testing;

namespace Dealwire.ManagerApi.Tests;

/// <summary>
/// A history read the store cannot serve (database down, or its projector stopped) is the protocol's
/// <c>network_error</c> (a downstream call that failed), not <c>unexpected</c>, and the connection goes on.
/// </summary>
public sealed class HistoryUnavailableTests
{
    [Fact]
    public async Task A_history_read_the_store_cannot_serve_answers_network_error_and_the_session_goes_on()
    {
        await using var server = await ManagerApiServer.StartAsync(wrapHistory: UnavailableLedger);
        var login = await server.AccountAsync("demo", 100m);
        await using var client = await server.ConnectAsync();
        await client.AuthAsync(server.AdminKey, "num_id_preferred");

        var reply = await client.CallAsync("get_balance_operations", $"{{\"account_id\":{{\"id\":{login}}}}}");
        Assert.Equal("network_error", reply.At("get_balance_operations_response.error").GetString());

        // The session goes on: a deposit (the live view and the engine) is answered as usual.
        var deposit = await client.CallAsync("update_balance",
            $"{{\"account_id\":{{\"id\":{login}}},\"delta\":1,\"process_id\":\"after-the-error\",\"reason\":\"deposit\",\"same_response_process_id\":true}}");
        Assert.Equal(101m, deposit.At("update_balance_response.success.account.balance").GetDecimal());
    }

    /// <summary>Every read goes to the real reader except the ledger, which the store cannot serve.</summary>
    private static IHistoryReader UnavailableLedger(IHistoryReader inner) => Interception.Wrap(inner, (method, _, next) =>
        method.Name == nameof(IHistoryReader.GetLedgerAsync)
            ? Task.FromException<HistoryPage<LedgerEntry>>(new HistoryUnavailableException("the history store is at sequence 5, behind the committed 9; try again later"))
            : next());
}
