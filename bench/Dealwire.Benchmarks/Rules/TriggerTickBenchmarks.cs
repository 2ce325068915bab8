using BenchmarkDotNet.Attributes;
using Dealwire.Benchmarks.Engine;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.Rules;

/// <summary>
/// One EURUSD tick on a book of 100 000 positions (1 000 accounts × 100, every one with SL and TP) and
/// 1 000 pending buy limits. <see cref="TickTriggeringOnePercent"/> crosses 1 % of the stops (1 000
/// closes) and 10 % of the orders (100 activations); <see cref="TickCrossingNothing"/> is the steady
/// state, where the trigger books are only asked for their nearest level.
/// </summary>
[MemoryDiagnoser]
public class TriggerTickBenchmarks
{
    private const int Accounts = 1_000;
    private const int PositionsPerAccount = 100;
    private const int Orders = 1_000;
    private TradingEngine _engine = null!;
    private readonly List<long> _logins = new();
    private ApplyTick _quiet = null!;
    private ApplyTick _quietUp = null!;
    private ApplyTick _crossing = null!;
    private bool _up;

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkBroker.Create();
        for (var a = 0; a < Accounts; a++)
        {
            var login = BenchmarkBroker.Account(_engine, 10_000_000m);
            _logins.Add(login);
            for (var p = 0; p < PositionsPerAccount; p++)
            {
                // Far stops: on the books, never crossed by these ticks.
                BenchmarkBroker.Apply(_engine, new OpenPosition(login, "EURUSD", TradeCommand.Buy, 1) { StopLoss = 1.05000m - p * 0.00001m, TakeProfit = 1.20000m + p * 0.00001m });
            }
        }
        _quiet = new ApplyTick("EURUSD", 1.10000m, 1.10002m, 1);
        _quietUp = new ApplyTick("EURUSD", 1.10001m, 1.10003m, 1);
        _crossing = new ApplyTick("EURUSD", 1.09940m, 1.09942m, 1);
    }

    /// <summary>Re-arms the 1 % of stops and 10 % of orders the measured tick will cross, at price 1.10000.</summary>
    [IterationSetup(Target = nameof(TickTriggeringOnePercent))]
    public void ArmTriggers()
    {
        BenchmarkBroker.Apply(_engine, new ApplyTick("EURUSD", 1.10000m, 1.10002m, 1));
        foreach (var order in _engine.GetPendingOrders().ToList()) BenchmarkBroker.Apply(_engine, new CancelPendingOrder(order.Login, order.Ticket));
        // 1 000 positions (1 %) whose stop loss 1.09950 the crossing tick's bid 1.09940 passes.
        for (var i = 0; i < 1_000; i++)
        {
            BenchmarkBroker.Apply(_engine, new OpenPosition(_logins[i % Accounts], "EURUSD", TradeCommand.Buy, 1) { StopLoss = 1.09950m });
        }
        // 1 000 buy limits, 100 of them (10 %) at 1.09945, above the crossing ask 1.09942.
        for (var i = 0; i < Orders; i++)
        {
            var price = i < Orders / 10 ? 1.09945m : 1.08000m - i * 0.00001m;
            BenchmarkBroker.Apply(_engine, new PlacePendingOrder(_logins[i % Accounts], "EURUSD", TradeCommand.BuyLimit, 1, price));
        }
    }

    [Benchmark]
    public ReturnCode TickTriggeringOnePercent()
    {
        _crossing.Stamp(_engine.LastSequence + 1, _engine.Now + 1);
        var code = _engine.Execute(_crossing).Code;
        return code == ReturnCode.Ok ? code : throw new InvalidOperationException($"tick rejected: {code}");
    }

    [Benchmark]
    public ReturnCode TickCrossingNothing()
    {
        // Alternates between two prices a point apart: every position re-valued, no trigger crossed.
        _up = !_up;
        var tick = _up ? _quietUp : _quiet;
        tick.Stamp(_engine.LastSequence + 1, _engine.Now + 1);
        var code = _engine.Execute(tick).Code;
        return code == ReturnCode.Ok ? code : throw new InvalidOperationException($"tick rejected: {code}");
    }
}
