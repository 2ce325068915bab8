using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Core;
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

/// <summary>One request line through parse → token check → dispatch → reply serialization (no socket).</summary>
[MemoryDiagnoser]
public class CommandPipelineBenchmarks
{
    private Dispatcher _dispatcher = null!;
    private Session _session = null!;
    private ReadOnlySequence<byte> _line;

    [GlobalSetup]
    public void Setup()
    {
        var tokens = new TokenService(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var options = new Dealwire.ServerApi.ServerApiOptions();
        var context = new ServerApiContext(new EngineRunner(new TradingEngine()), tokens, TimeProvider.System, options,
            new SessionRegistry(), new Dealwire.ReadModel.Live.LiveView(), null, BenchHistory.Reader(), NullLoggerFactory.Instance);
        _dispatcher = new Dispatcher(context, CommandCatalog.Build());
        _session = new Session(null, options, NullLogger.Instance);
        var token = tokens.Issue(new SessionIdentity { Type = SessionType.Admin, Id = 1 }, TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        _line = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(
            $$"""{"command":"Subscribe","data":{"chanels":["EURUSD"]},"extID":"a1b2c3d4e5f6","__token":"{{token}}"}"""));
    }

    [Benchmark]
    public int ParseDispatchSerialize()
    {
        using var envelope = Envelope.Parse(_line, out _);
        // Subscribe never waits for the engine, so the reply is ready synchronously.
        var reply = _dispatcher.DispatchAsync(_session, envelope);
        if (!reply.IsCompletedSuccessfully) throw new InvalidOperationException("Subscribe completed asynchronously");
        var (frame, afterReply) = reply.Result;
        afterReply?.Invoke();
        return frame.Length;
    }
}

/// <summary>One tick serialized once and queued for many subscribers (staff sessions: raw prices).</summary>
[MemoryDiagnoser]
public class TickFanoutBenchmarks
{
    private QuoteFanout _fanout = null!;
    private decimal _bid = 1.10000m;

    [Params(100, 1000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = new SessionRegistry();
        var options = new Dealwire.ServerApi.ServerApiOptions { MaxConnections = int.MaxValue };
        for (var i = 0; i < Subscribers; i++)
        {
            var session = new Session(null, options, NullLogger.Instance);
            session.Adopt(new SessionIdentity { Type = SessionType.Manager, Id = i, GroupMask = "*" }, TimeProvider.System);
            registry.TryAdd(session, int.MaxValue);
            registry.Subscribe(session, ["EURUSD"]);
        }
        _fanout = new QuoteFanout(new EngineRunner(new TradingEngine()), registry, new Dealwire.ReadModel.Live.LiveView());
    }

    [GlobalCleanup]
    public void Cleanup() => _fanout.Dispose();

    [Benchmark]
    public void PublishOneTick()
    {
        _bid += 0.00001m;
        _fanout.Publish("EURUSD", new Quote(_bid, _bid + 0.00002m, 1_734_312_345_678));
    }
}
