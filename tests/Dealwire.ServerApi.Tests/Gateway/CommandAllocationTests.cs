using System.Buffers;
using System.Text;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

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
        var line = gateway.Line(command, """{"login":1000,"cmd":0,"volume":100,"symbol":"EURUSD","sl":0,"tp":0}""");

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
        Assert.True(perCommand <= budget, $"{command}: {perCommand:0.0} bytes per command, budget {budget} (reply frame + engine command)");
    }

    [Fact]
    public void The_budget_is_exceeded_when_a_command_allocates_more_than_its_frame()
    {
        // The same measurement catches a reply that copies its bytes once more: proof the test can fail.
        var gateway = new InProcessGateway();
        var line = gateway.Line("MngOpenTrade", """{"login":1000,"cmd":0,"volume":100,"symbol":"EURUSD","sl":0,"tp":0}""");
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

    /// <summary>The Server API's dispatcher over a stand-in engine that opens every position as ticket 77.</summary>
    internal sealed class InProcessGateway
    {
        private readonly Dispatcher _dispatcher;
        private readonly Session _session;
        private readonly string _token;

        public InProcessGateway()
        {
            var tokens = new TokenService(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
            var options = new ServerApiOptions();
            // The demo defaults hold account 1000 in group "demo"; the view is seeded from them as the host seeds it.
            var engine = new TradingEngine();
            var sequence = 0L;
            foreach (var command in DemoDefaults.Commands())
            {
                command.Stamp(++sequence, 0);
                engine.Execute(command);
            }
            var mirror = new LiveView();
            mirror.Load(LiveSeed.From(engine));
            var server = new ServerApiContext(new EngineRunner(engine), tokens, TimeProvider.System, options,
                new SessionRegistry(), mirror, null,
                HistoryStores.Create(new HistoryOptions(), Directory.CreateTempSubdirectory("dealwire-alloc-history-").FullName), NullLoggerFactory.Instance, new OpensAtOnce());
            _dispatcher = new Dispatcher(server, CommandCatalog.Build());
            _session = new Session(null, options, NullLogger.Instance);
            _token = tokens.Issue(new SessionIdentity { Type = SessionType.Admin, Id = 1 }, TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        }

        public ReadOnlySequence<byte> Line(string command, string data) => new(Encoding.UTF8.GetBytes(
            $$"""{"command":"{{command}}","data":{{data}},"extID":"42","__token":"{{_token}}"}"""));

        public byte[] Run(ReadOnlySequence<byte> line)
        {
            using var envelope = Envelope.Parse(line, out _);
            var reply = _dispatcher.DispatchAsync(_session, envelope);
            if (!reply.IsCompletedSuccessfully) throw new InvalidOperationException("the stand-in engine answers at once");
            return reply.Result;
        }
    }

    private sealed class OpensAtOnce : IEngineCommands
    {
        private readonly Task<CommandResult<TradeRecord>> _opened = Task.FromResult(new CommandResult<TradeRecord>(ReturnCode.Ok, "",
            new TradeRecord { Ticket = 77, Login = Login, Symbol = "EURUSD", Digits = 5, Volume = 100, OpenPrice = 1.10000m, State = TradeState.OpenNormal }));

        public Task<CommandResult<T>> SubmitAsync<T>(EngineCommand<T> command) => command is OpenPosition
            ? (Task<CommandResult<T>>)(object)_opened
            : throw new NotSupportedException(command.GetType().Name);
    }
}
