using System.Reflection;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.ReadModel.History;

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
        await using var server = await ManagerApiServer.StartAsync(wrapHistory: UnavailableLedger.Wrap);
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

    /// <summary>Forwards every read to the real reader except the ledger, which the store cannot serve.</summary>
    public class UnavailableLedger : DispatchProxy
    {
        private IHistoryReader _inner = null!;

        public static IHistoryReader Wrap(IHistoryReader inner)
        {
            var proxy = Create<IHistoryReader, UnavailableLedger>();
            ((UnavailableLedger)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IHistoryReader.GetLedgerAsync))
            {
                return Task.FromException<HistoryPage<LedgerEntry>>(new HistoryUnavailableException("the history store is at sequence 5, behind the committed 9; try again later"));
            }
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
