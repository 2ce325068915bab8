using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests;

/// <summary>
/// Drives a TradingEngine the way the runner does (stamped sequence and time), with a small broker
/// set-up: USD groups, majors, a cross, gold, an index. Time starts on a Monday 10:00 UTC.
/// </summary>
internal sealed class EngineHarness
{
    public static readonly long Monday10 = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public TradingEngine Engine { get; }
    public long Time { get; set; } = Monday10;
    public List<EngineEvent> Events { get; } = new();
    public List<EngineCommand> Journal { get; } = new();

    public EngineHarness(TradingEngine? engine = null, bool setup = true)
    {
        Engine = engine ?? new TradingEngine();
        if (setup) Setup();
    }

    /// <summary>Closed deals and the ledger, projected from the events (the engine keeps no history).</summary>
    public TestHistory History { get; init; } = new();

    /// <summary>
    /// Applies a command as a gateway sends it: a command on a closed deal or a finance operation carries the
    /// record read from history (unless the test gave one), and the journal keeps the command as applied.
    /// </summary>
    public (ReturnCode Code, string Message, object? Value) Apply(EngineCommand command)
    {
        command = History.Complete(command);
        command.Stamp(Engine.LastSequence + 1, Time);
        var result = Engine.Execute(command);
        if (result.Code == ReturnCode.Ok)
        {
            Journal.Add(command);
            Events.AddRange(Engine.LastEvents);
            History.Observe(Engine.LastEvents);
        }
        return result;
    }

    public T Ok<T>(EngineCommand<T> command)
    {
        var (code, message, value) = Apply(command);
        Assert.True(code is ReturnCode.Ok or ReturnCode.OkNone, $"{command.GetType().Name} failed: {code} {message}");
        return (T)value!;
    }

    public ReturnCode Fails(EngineCommand command)
    {
        var (code, _, _) = Apply(command);
        Assert.NotEqual(ReturnCode.Ok, code);
        return code;
    }

    public void Tick(string symbol, decimal bid, decimal ask)
    {
        Time += 1;
        Ok(new ApplyTick(symbol, bid, ask, Time));
    }

    public long Account(decimal deposit, string group = "demo", int leverage = 0)
    {
        var snapshot = Ok(new CreateAccount(new AccountProfile { Group = group, Name = "Test", Leverage = leverage }) { InitialDeposit = deposit });
        return snapshot.Profile.Login;
    }

    public TradeRecord Buy(long login, string symbol, int volume, decimal sl = 0, decimal tp = 0) =>
        Ok(new OpenPosition(login, symbol, TradeCommand.Buy, volume) { StopLoss = sl, TakeProfit = tp });

    public TradeRecord Sell(long login, string symbol, int volume) => Ok(new OpenPosition(login, symbol, TradeCommand.Sell, volume));

    public MarginSnapshot Margin(long login) => Engine.GetMargin(login)!;

    /// <summary>An open trade from the engine, else a closed one from history (as a gateway resolves a ticket).</summary>
    public TradeRecord? Trade(long ticket) => Engine.GetTrade(ticket) ?? History.FindTrade(ticket);

    /// <summary>Balance must equal the sum of the balance-touching ledger entries, exactly.</summary>
    public void AssertLedgerBalances()
    {
        foreach (var a in Engine.GetAccounts(GroupMask.All))
        {
            var ledger = History.GetLedger(a.Profile.Login, long.MinValue, long.MaxValue).ToList();
            Assert.Equal(ledger.Where(l => !l.Kind.TouchesCredit()).Sum(l => l.Amount), a.Margin.Balance);
            Assert.Equal(ledger.Where(l => l.Kind.TouchesCredit()).Sum(l => l.Amount), a.Margin.Credit);
        }
    }

    /// <summary>
    /// The money invariants after any step: balance = Σ ledger (and credit), and equity = balance + credit +
    /// floating profit + floating swap (balance, credit and swap are whole cents, so rounding the sum or
    /// the floating profit alone gives the same cents).
    /// </summary>
    public void AssertMoneyInvariants()
    {
        AssertLedgerBalances();
        foreach (var a in Engine.GetAccounts(GroupMask.All))
        {
            var m = a.Margin;
            Assert.Equal(m.Balance + m.Credit + m.Profit + m.Swap, m.Equity);
        }
    }

    /// <summary>The engine as a snapshot file would bring it back: snapshot → JSON → restore, with the same state hash.</summary>
    public TradingEngine AssertSnapshotRestoresTheHash()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Engine.CreateSnapshot());
        var restored = TradingEngine.Restore(System.Text.Json.JsonSerializer.Deserialize<EngineSnapshot>(json)!);
        Assert.Equal(Engine.StateHash(), restored.StateHash());
        return restored;
    }

    /// <summary>Replays the journal (through its JSON form) on a fresh engine: the same state hash.</summary>
    public void AssertReplayReproducesTheHash()
    {
        var replay = new TradingEngine();
        foreach (var command in Journal)
        {
            var copy = System.Text.Json.JsonSerializer.Deserialize<EngineCommand>(System.Text.Json.JsonSerializer.Serialize(command))!;
            copy.Stamp(command.Sequence, command.Time);
            replay.Execute(copy);
        }
        Assert.Equal(Engine.StateHash(), replay.StateHash());
    }

    private void Setup()
    {
        Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 0, Name = "Forex" }));
        Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 1, Name = "Metals" }));
        Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 2, Name = "Indices" }));
        Ok(new UpsertSymbol(Forex("EURUSD", "EUR", "USD", 5)));
        Ok(new UpsertSymbol(Forex("GBPUSD", "GBP", "USD", 5)));
        Ok(new UpsertSymbol(Forex("USDJPY", "USD", "JPY", 3)));
        Ok(new UpsertSymbol(Forex("EURGBP", "EUR", "GBP", 5)));
        Ok(new UpsertSymbol(new SymbolConfig
        {
            Name = "XAUUSD", SecurityIndex = 1, Digits = 2, ContractSize = 100, BaseCurrency = "XAU", ProfitCurrency = "USD",
            ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.Cfd,
        }));
        Ok(new UpsertSymbol(new SymbolConfig
        {
            Name = "US500", SecurityIndex = 2, Digits = 1, ContractSize = 1, ProfitCurrency = "USD",
            ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.CfdIndex,
        }));
        Ok(new UpsertGroup(new GroupConfig { Name = "demo", Currency = "USD", DefaultLeverage = 100, MarginCall = 100, StopOut = 50 }));
        Ok(new UpsertGroup(new GroupConfig { Name = "demo-netting", Currency = "USD", DefaultLeverage = 100, MarginCall = 100, StopOut = 50, Accounting = PositionAccounting.Netting }));
        Tick("EURUSD", 1.10000m, 1.10002m);
        Tick("GBPUSD", 1.25000m, 1.25002m);
        Tick("USDJPY", 150.000m, 150.010m);
        Tick("EURGBP", 0.85000m, 0.85002m);
        Tick("XAUUSD", 2000.00m, 2000.50m);
        Tick("US500", 5000.0m, 5000.5m);
    }

    public static SymbolConfig Forex(string name, string baseCcy, string profitCcy, int digits) => new()
    {
        Name = name, SecurityIndex = 0, Digits = digits, ContractSize = 100_000, BaseCurrency = baseCcy, ProfitCurrency = profitCcy,
    };
}
