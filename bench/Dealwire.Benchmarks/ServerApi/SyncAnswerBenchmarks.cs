using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Fanout;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.ServerApi;

/// <summary>
/// A Sync trade command's two frames for one new record: its <c>trade:event</c> (fan-out to the account's connected
/// trader) and its answer, whose data is the event's data. <c>Shared</c> wires the dispatcher and the fan-out to one
/// <see cref="TradeJsonCache"/>, as the host does, so the answer copies the event's bytes; <c>Separate</c> gives the
/// answer a cache of its own, so both frames serialize the record (the cost before the cache). Per operation = one
/// record's event and answer.
/// </summary>
[MemoryDiagnoser]
public class SyncAnswerBenchmarks
{
    private const long Login = 1001;
    private EventFanout _fanout = null!;
    private TradeJsonCache _shared = null!;
    private readonly TradeJsonCache _separate = new();
    private readonly TradeReplies _replies = new();
    private readonly EngineEvent[] _events = new EngineEvent[1];
    private TradeRecord _record = null!;
    private long _ticket;
    private readonly Envelope _request = Envelope.Parse(new System.Buffers.ReadOnlySequence<byte>("""{"command":"MngCloseTradeSync","extID":"b1","data":{}}"""u8.ToArray()), out _);

    [GlobalSetup]
    public void Setup()
    {
        var sessions = new SessionRegistry();
        _shared = new TradeJsonCache();
        _fanout = new EventFanout(sessions, new LiveView(), NullLogger<EventFanout>.Instance, _shared);
        DiscardingReader.Connect(sessions, new SessionIdentity { Type = SessionType.User, Id = Login });
        _record = new TradeRecord
        {
            Login = Login, Symbol = "EURUSD", Digits = 5, Command = TradeCommand.Buy, Volume = 100, State = TradeState.ClosedNormal,
            OpenTime = 1_767_225_600_000, OpenPrice = 1.10002m, CloseTime = 1_767_225_660_000, ClosePrice = 1.10010m, Profit = 0.80m,
            MarginInitial = 11.00m, MarginRate = 1.1m, OpenRate = 1, CloseRate = 1, Comment = "bench",
        };
    }

    [Benchmark(Baseline = true)]
    public int Separate() => EventAndAnswer(_separate);

    [Benchmark]
    public int Shared() => EventAndAnswer(_shared);

    private int EventAndAnswer(TradeJsonCache answerCache)
    {
        // A new record each time, as each command makes one: the cache is keyed by the record's reference.
        var trade = _record with { Ticket = ++_ticket };
        _events[0] = new TradeEvent(RecordChange.CloseTrade, trade);
        _fanout.OnEvents(_events);
        return Dispatcher.ReplyFrame(_request, _replies.Record(trade, null, answerCache)).Length;
    }
}
