using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.Engine;

/// <summary>
/// One deposit with an idempotency key, applied straight to the engine: the command that dominates
/// journal recovery (a recovered journal replays every PostLedger), so its cost bounds recovery time.
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int Accounts = 64;
    private TradingEngine _engine = null!;
    private long[] _logins = [];
    private long _key;

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkBroker.Create();
        _logins = new long[Accounts];
        for (var i = 0; i < Accounts; i++) _logins[i] = BenchmarkBroker.Account(_engine, 10_000m);
    }

    [Benchmark(Description = "PostLedger deposit with idempotency key")]
    public void Deposit()
    {
        var i = _key++;
        BenchmarkBroker.Apply(_engine, new PostLedger(_logins[i % Accounts], LedgerKind.Deposit, 1.25m) { IdempotencyKey = "bench-" + i });
    }
}
