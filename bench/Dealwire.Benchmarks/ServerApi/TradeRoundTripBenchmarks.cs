using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Dealwire.Benchmarks.Engine;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Fanout;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.ServerApi;

/// <summary>
/// The round-trip scenario's command pair without sockets: 64 MngOpenTradeSync → MngCloseTradeSync
/// loops in flight against a running engine (no journal), with four admin sessions receiving the
/// trade events, as in the load test. <c>EngineOnly</c> submits the same commands straight to the
/// runner, so the difference is what the gateway adds per command. Per operation = one command.
/// </summary>
[MemoryDiagnoser]
public class TradeRoundTripBenchmarks
{
    private const int InFlight = 64;
    private EngineRunner _runner = null!;
    private Dispatcher _dispatcher = null!;
    private Session _session = null!;
    private long _login;
    private byte[] _open = [];
    private string _token = "";
    private EventFanout _events = null!;

    [GlobalSetup]
    public void Setup()
    {
        var engine = BenchmarkBroker.Create();
        _login = BenchmarkBroker.Account(engine, 1_000_000_000m);
        _runner = new EngineRunner(engine);
        var tokens = new TokenService(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var options = new Dealwire.ServerApi.ServerApiOptions();
        var sessions = new SessionRegistry();
        // As the host wires it: the committed stream feeds the live view, whose observer is the event fan-out.
        var stream = new Dealwire.ReadModel.Stream.CommittedStream(engine.LastSequence);
        var mirror = new Dealwire.ReadModel.Live.LiveView();
        var tradeJson = new Dealwire.ServerApi.Wire.TradeJsonCache();
        _events = new EventFanout(sessions, mirror, Microsoft.Extensions.Logging.Abstractions.NullLogger<EventFanout>.Instance, tradeJson);
        mirror.AddObserver(_events);
        _runner.AddCommittedSink(stream);
        _runner.Start();
        mirror.StartAsync(_runner, stream).GetAwaiter().GetResult();
        var context = new ServerApiContext(_runner, tokens, TimeProvider.System, options, sessions, mirror, null, BenchHistory.Reader(), NullLoggerFactory.Instance,
            tradeJson: tradeJson);
        _dispatcher = new Dispatcher(context, CommandCatalog.Build());
        var admin = new SessionIdentity { Type = SessionType.Admin, Id = 1 };
        for (var i = 0; i < 4; i++)
        {
            var s = DiscardingReader.Connect(sessions, admin);
            if (i == 0) _session = s;
        }
        _token = tokens.Issue(admin, TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        _open = Line("MngOpenTradeSync", $$"""{"login":{{_login}},"cmd":0,"volume":1,"symbol":"EURUSD","sl":0,"tp":0}""");
    }

    [GlobalCleanup]
    public void Cleanup() => _runner.StopAsync().GetAwaiter().GetResult();

    private byte[] Line(string command, string data) =>
        Encoding.UTF8.GetBytes($$"""{"command":"{{command}}","data":{{data}},"extID":"a1b2c3d4","__token":"{{_token}}"}""");

    [Benchmark(OperationsPerInvoke = InFlight * 2)]
    public async Task GatewayOpenClose()
    {
        var loops = new Task[InFlight];
        for (var i = 0; i < InFlight; i++) loops[i] = OpenClose();
        await Task.WhenAll(loops);
    }

    private async Task OpenClose()
    {
        var reply = await Dispatch(_open);
        var at = reply.AsSpan().IndexOf("\"order\":"u8) + 8;
        var end = reply.AsSpan(at).IndexOfAny((byte)',', (byte)'}');
        var order = long.Parse(reply.AsSpan(at, end));
        await Dispatch(Line("MngCloseTradeSync", $$"""{"login":{{_login}},"order":{{order}}}"""));
    }

    private async Task<byte[]> Dispatch(byte[] line)
    {
        using var envelope = Envelope.Parse(new ReadOnlySequence<byte>(line), out _);
        return (await _dispatcher.DispatchAsync(_session, envelope)).Frame;
    }

    [Benchmark(OperationsPerInvoke = InFlight * 2)]
    public async Task EngineOnlyOpenClose()
    {
        var loops = new Task[InFlight];
        for (var i = 0; i < InFlight; i++) loops[i] = EngineOpenClose();
        await Task.WhenAll(loops);
    }

    private async Task EngineOpenClose()
    {
        var open = await _runner.SubmitAsync(new OpenPosition(_login, "EURUSD", TradeCommand.Buy, 1));
        await _runner.SubmitAsync(new ClosePosition(_login, open.Value!.Ticket));
    }

    [Benchmark]
    public int ParseOpen()
    {
        using var envelope = Envelope.Parse(new ReadOnlySequence<byte>(_open), out _);
        return envelope.Command.Length;
    }
}
