namespace Dealwire.LoadTest.Clients;

/// <summary>
/// The trading loop of one in-flight slot on the demo hedging account: MngOpenTradeSync → MngCloseTradeSync,
/// plus BalanceIn every fourth loop. Shared by the round-trip scenario (which times every call) and the
/// Manager API scenario (which only needs accounts to trade meanwhile).
/// </summary>
public static class TradeCycle
{
    /// <summary>The embedded default's hedging demo account.</summary>
    public const long Login = 1000;

    /// <summary>Loops until <paramref name="stop"/> is cancelled; <paramref name="call"/> sends one command and returns its reply.</summary>
    public static async Task RunAsync(Func<string, string, Task<string>> call, CancellationToken stop)
    {
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var reply = await call("MngOpenTradeSync", $"{{\"login\":{Login},\"cmd\":0,\"volume\":1,\"symbol\":\"EURUSD\",\"sl\":0,\"tp\":0}}");
                var order = CommandConnection.Order(reply);
                if (order > 0) await call("MngCloseTradeSync", $"{{\"login\":{Login},\"order\":{order}}}");
                else await Task.Delay(10, stop); // no price yet or a rejection: do not spin
                if (i % 4 == 3) await call("BalanceIn", $"{{\"login\":{Login},\"amount\":1,\"comment\":\"bench\"}}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
