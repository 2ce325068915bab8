using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.Engine;

/// <summary>
/// One EURUSD tick re-valuing 100 000 positions held by 20 000 accounts, with 0 or 900 000 more
/// positions on other symbols. The per-tick cost must not depend on the other symbols' positions
/// and must not allocate. Targets: ≤ 100 ns per affected position (≤ 10 ms per tick here).
/// </summary>
[MemoryDiagnoser]
public class TickBenchmarks
{
    private TradingEngine _engine = null!;
    private ApplyTick _up = null!;
    private ApplyTick _down = null!;
    private bool _flip;

    [Params(0, 900_000)]
    public int OtherPositions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkBroker.Create();
        const int accounts = 20_000;
        var logins = new long[accounts];
        for (var i = 0; i < accounts; i++) logins[i] = BenchmarkBroker.Account(_engine, 1_000_000m);
        for (var i = 0; i < 100_000; i++)
        {
            BenchmarkBroker.Apply(_engine, new OpenPosition(logins[i % accounts], "EURUSD", i % 2 == 0 ? TradeCommand.Buy : TradeCommand.Sell, 1 + i % 10));
        }
        var other = BenchmarkBroker.OtherSymbols;
        for (var i = 0; i < OtherPositions; i++)
        {
            BenchmarkBroker.Apply(_engine, new OpenPosition(logins[i % accounts], other[i % other.Length], i % 2 == 0 ? TradeCommand.Buy : TradeCommand.Sell, 1));
        }
        _up = new ApplyTick("EURUSD", 1.10010m, 1.10012m, 2);
        _down = new ApplyTick("EURUSD", 1.09990m, 1.09992m, 2);
    }

    [Benchmark(Description = "EURUSD tick, 100k positions / 20k accounts")]
    public ReturnCode Tick()
    {
        _flip = !_flip;
        var tick = _flip ? _up : _down;
        tick.Stamp(_engine.LastSequence + 1, _engine.Now + 1);
        return _engine.Execute(tick).Code;
    }
}
