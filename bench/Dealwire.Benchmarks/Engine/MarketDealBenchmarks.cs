using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.Engine;

/// <summary>
/// One market open plus its close, margin check included, applied straight to the engine (no queue,
/// no journal): the cost of the dealing logic itself. Target on the 2-core box: ≤ 2 µs per pair.
/// </summary>
[MemoryDiagnoser]
public class MarketDealBenchmarks
{
    private TradingEngine _engine = null!;
    private long _login;

    /// <summary>Positions the account already holds on the symbol (20, like a real book; the CPU probe's <c>deal1000</c> sets 1 000).</summary>
    public int OpenPositions { get; set; } = 20;

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkBroker.Create();
        // Each pair pays the spread (0.20 USD): BenchmarkDotNet runs tens of millions of pairs, which would spend a smaller deposit.
        _login = BenchmarkBroker.Account(_engine, 1_000_000_000m);
        for (var i = 0; i < OpenPositions; i++) BenchmarkBroker.Apply(_engine, new OpenPosition(_login, "EURUSD", TradeCommand.Buy, 10));
    }

    [Benchmark(Description = "open + close EURUSD 0.10")]
    public void OpenAndClose()
    {
        var (_, value) = BenchmarkBroker.Apply(_engine, new OpenPosition(_login, "EURUSD", TradeCommand.Sell, 10));
        BenchmarkBroker.Apply(_engine, new ClosePosition(_login, ((TradeRecord)value!).Ticket));
    }
}
