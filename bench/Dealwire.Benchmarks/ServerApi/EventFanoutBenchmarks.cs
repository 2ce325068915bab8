using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Fanout;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.ServerApi;

/// <summary>
/// The Server API fan-out of one close's events (the closed trade and its balance event) for an account with no
/// Server API audience, and for one whose trader is connected (a writer that discards what it is sent). The live
/// view's apply path pays this for every account event. Per operation = one batch of two events.
/// </summary>
[MemoryDiagnoser]
public class EventFanoutBenchmarks
{
    private const long Watched = 1001;
    private const long Unwatched = 2002;
    private EventFanout _fanout = null!;
    private EngineEvent[] _watched = [];
    private EngineEvent[] _unwatched = [];

    [GlobalSetup]
    public void Setup()
    {
        var sessions = new SessionRegistry();
        _fanout = new EventFanout(sessions, new LiveView(), NullLogger<EventFanout>.Instance);
        DiscardingReader.Connect(sessions, new SessionIdentity { Type = SessionType.User, Id = Watched });
        _watched = Close(Watched);
        _unwatched = Close(Unwatched);
    }

    [Benchmark(Baseline = true)]
    public void TraderConnected() => _fanout.OnEvents(_watched);

    [Benchmark]
    public void NoAudience() => _fanout.OnEvents(_unwatched);

    private static EngineEvent[] Close(long login) =>
    [
        new TradeEvent(RecordChange.CloseTrade, new TradeRecord
        {
            Ticket = 7, Login = login, Symbol = "EURUSD", Digits = 5, Command = TradeCommand.Buy, Volume = 100, State = TradeState.ClosedNormal,
            OpenTime = 1_767_225_600_000, OpenPrice = 1.10002m, CloseTime = 1_767_225_660_000, ClosePrice = 1.10010m, Profit = 0.80m,
            MarginInitial = 11.00m, MarginRate = 1.1m, OpenRate = 1, CloseRate = 1, Comment = "bench",
        }),
        new BalanceEvent(new LedgerEntry { Login = login, Kind = LedgerKind.TradingResult, Amount = 0.80m, Ticket = 7 },
            new MarginSnapshot { Login = login, Group = "demo", Balance = 1_000.80m, Equity = 1_000.80m, FreeMargin = 1_000.80m }),
    ];
}
