using System.Reflection;
using Dealwire.ReadModel.History;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// A history read the store cannot serve (database down, or its projector stopped) is answered with the spec's
/// <c>TRADE_HISTORY_ERROR</c> and the store's own reason, not a bare "internal error", and the connection goes on.
/// </summary>
public sealed class HistoryUnavailableTests
{
    private const string Reason = "the history store is at sequence 5, behind the committed 9, and its projector has stopped (lapped): run dealwire history rebuild";

    [Fact]
    public async Task A_history_read_the_store_cannot_serve_answers_TRADE_HISTORY_ERROR_with_the_reason()
    {
        await using var host = await GatewayHost.StartAsync(wrapHistory: UnavailableTrades.Wrap);
        await using var c = await host.ConnectAsync();

        var reply = await c.CallAsync("GetTradesHistoryByLogin", new { login = host.DemoLogin, from = 0, to = 4_000_000_000L }, host.AdminToken);
        reply.AssertError(500, "TRADE_HISTORY_ERROR");
        Assert.Equal(Reason, reply.GetProperty("message").GetString());

        // Nothing else is affected: the same connection reads the live view.
        (await c.CallAsync("GetAccountByLogin", new { login = host.DemoLogin }, host.AdminToken)).AssertOk();
    }

    /// <summary>Forwards every read to the real reader except trade history, which the store cannot serve.</summary>
    public class UnavailableTrades : DispatchProxy
    {
        private IHistoryReader _inner = null!;

        public static IHistoryReader Wrap(IHistoryReader inner)
        {
            var proxy = Create<IHistoryReader, UnavailableTrades>();
            ((UnavailableTrades)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IHistoryReader.GetTradesAsync)) return Task.FromException<HistoryPage<Engine.Model.TradeRecord>>(new HistoryUnavailableException(Reason));
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
