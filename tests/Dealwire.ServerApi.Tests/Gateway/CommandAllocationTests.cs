using System.Text;
using Dealwire.Benchmarks.Gateway;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Tests.Gateway;

/// <summary>
/// The gateway's own cost of a trade command, parse → token → rights → handler → reply frame, with the engine
/// replaced by a stand-in that answers at once (the engine's allocations are its own, measured in the engine
/// benchmarks). In steady state the gateway allocates only the reply frame, plus the command record it hands
/// the engine. Counted in bytes allocated on this thread over many commands: the stand-in completes
/// synchronously, so the whole command runs here. Not a timing test.
/// </summary>
public sealed class CommandAllocationTests
{
    private const int Warmup = 2_000;
    private const int Measured = 20_000;
    private const long Login = 1000;

    [Theory]
    [InlineData("MngOpenTrade")]
    [InlineData("MngOpenTradeSync")]
    public void A_trade_command_allocates_only_its_reply_frame_and_the_engine_command(string command)
    {
        var gateway = new InProcessGateway();
        var line = gateway.Line(command, """{"login":1000,"cmd":0,"volume":100,"symbol":"EURUSD","sl":0,"tp":0}""", extId: "42");

        var frame = gateway.Run(line);
        var reply = Encoding.UTF8.GetString(frame);
        Assert.Contains("\"extID\":\"42\",\"status\":200", reply, StringComparison.Ordinal);
        Assert.Contains("\"order\":77", reply, StringComparison.Ordinal);

        for (var i = 0; i < Warmup; i++) gateway.Run(line);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++) gateway.Run(line);
        var perCommand = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;

        var budget = BytesOf(() => new byte[frame.Length]) + BytesOf(() => new OpenPosition(Login, "EURUSD", TradeCommand.Buy, 100)
        {
            StopLoss = 0, TakeProfit = 0, Price = 0, OpenTime = 0, Comment = "", Magic = 0, Reason = TradeReason.Dealer, Actor = "admin:1",
        });
        // + 1 byte on average: a one-off allocation on this thread during the run (a pool growing) is not a per-command object,
        // while any object allocated per command is at least 24 bytes more.
        Assert.True(perCommand <= budget + 1, $"{command}: {perCommand:0.0} bytes per command, budget {budget} (reply frame + engine command)");
    }

    [Fact]
    public void The_budget_is_exceeded_when_a_command_allocates_more_than_its_frame()
    {
        // The same measurement catches a reply that copies its bytes once more: proof the test can fail.
        var gateway = new InProcessGateway();
        var line = gateway.Line("MngOpenTrade", """{"login":1000,"cmd":0,"volume":100,"symbol":"EURUSD","sl":0,"tp":0}""", extId: "42");
        var frame = gateway.Run(line);
        for (var i = 0; i < Warmup; i++) gateway.Run(line);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++) _ = gateway.Run(line).ToArray();
        var perCommand = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;
        Assert.True(perCommand > 2 * BytesOf(() => new byte[frame.Length]));
    }

    private static long BytesOf(Func<object> make)
    {
        make();
        var before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(make());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
