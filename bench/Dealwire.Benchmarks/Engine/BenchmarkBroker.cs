using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.Engine;

/// <summary>Builds engines for benchmarks: a USD group, majors and CFDs, accounts and positions.</summary>
public static class BenchmarkBroker
{
    public static readonly string[] OtherSymbols = ["GBPUSD", "USDJPY", "AUDUSD", "NZDUSD", "USDCAD", "XAUUSD", "US500", "BTCUSD", "USDCHF"];
    private static long _sequence;
    private static long _time = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static (ReturnCode Code, object? Value) Apply(TradingEngine engine, EngineCommand command)
    {
        command.Stamp(engine.LastSequence + 1, ++_time);
        var (code, message, value) = engine.Execute(command);
        if (code is not (ReturnCode.Ok or ReturnCode.OkNone)) throw new InvalidOperationException($"{command.GetType().Name}: {code} {message}");
        _sequence = engine.LastSequence;
        return (code, value);
    }

    public static TradingEngine Create()
    {
        var e = new TradingEngine();
        Apply(e, new UpsertGroup(new GroupConfig { Name = "bench", Currency = "USD", DefaultLeverage = 100, MarginCall = 100, StopOut = 50 }));
        Apply(e, new UpsertSymbol(Forex("EURUSD", "EUR", "USD", 5)));
        foreach (var name in OtherSymbols)
        {
            var cfg = name switch
            {
                "XAUUSD" => new SymbolConfig { Name = name, Digits = 2, ContractSize = 100, BaseCurrency = "XAU", ProfitCurrency = "USD", MarginMode = MarginCalcMode.Cfd, ProfitMode = ProfitCalcMode.Cfd },
                "US500" => new SymbolConfig { Name = name, Digits = 1, ContractSize = 1, ProfitCurrency = "USD", MarginMode = MarginCalcMode.CfdIndex, ProfitMode = ProfitCalcMode.Cfd },
                "BTCUSD" => new SymbolConfig { Name = name, Digits = 2, ContractSize = 1, BaseCurrency = "BTC", ProfitCurrency = "USD", MarginMode = MarginCalcMode.Cfd, ProfitMode = ProfitCalcMode.Cfd },
                _ => Forex(name, name[..3], name[3..], name.EndsWith("JPY", StringComparison.Ordinal) ? 3 : 5),
            };
            Apply(e, new UpsertSymbol(cfg));
        }
        Apply(e, new ApplyTick("EURUSD", 1.10000m, 1.10002m, 1));
        Apply(e, new ApplyTick("GBPUSD", 1.25000m, 1.25002m, 1));
        Apply(e, new ApplyTick("USDJPY", 150.000m, 150.010m, 1));
        Apply(e, new ApplyTick("AUDUSD", 0.65000m, 0.65002m, 1));
        Apply(e, new ApplyTick("NZDUSD", 0.60000m, 0.60002m, 1));
        Apply(e, new ApplyTick("USDCAD", 1.36000m, 1.36002m, 1));
        Apply(e, new ApplyTick("USDCHF", 0.88000m, 0.88002m, 1));
        Apply(e, new ApplyTick("XAUUSD", 2000.00m, 2000.50m, 1));
        Apply(e, new ApplyTick("US500", 5000.0m, 5000.5m, 1));
        Apply(e, new ApplyTick("BTCUSD", 60000.00m, 60010.00m, 1));
        return e;
    }

    public static long Account(TradingEngine e, decimal deposit)
    {
        var (_, value) = Apply(e, new CreateAccount(new AccountProfile { Group = "bench" }) { InitialDeposit = deposit });
        return ((AccountSnapshot)value!).Profile.Login;
    }

    private static SymbolConfig Forex(string name, string b, string q, int digits) =>
        new() { Name = name, Digits = digits, ContractSize = 100_000, BaseCurrency = b, ProfitCurrency = q };
}
