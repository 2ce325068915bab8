using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence;
using Dealwire.Persistence.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.Persistence;

/// <summary>Shared set-up of the persistence benchmarks: a broker configuration and journals of valid commands.</summary>
internal static class PersistenceWorkload
{
    public const int Accounts = 64;
    public const long FirstLogin = 1000;

    /// <summary>A Monday 10:00 UTC: markets open, so trades are accepted.</summary>
    public static readonly long Monday10 = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static IEnumerable<EngineCommand> Setup()
    {
        yield return new UpsertSymbolGroup(new SymbolGroupConfig { Index = 0, Name = "Forex" });
        yield return new UpsertSymbol(new SymbolConfig { Name = "EURUSD", SecurityIndex = 0, Digits = 5, ContractSize = 100_000, BaseCurrency = "EUR", ProfitCurrency = "USD" });
        yield return new UpsertGroup(new GroupConfig { Name = "demo", Currency = "USD", DefaultLeverage = 100 });
        yield return new ApplyTick("EURUSD", 1.10000m, 1.10002m, Monday10);
        for (var i = 0; i < Accounts; i++)
        {
            yield return new CreateAccount(new AccountProfile { Group = "demo", Name = "Bench " + i }) { InitialDeposit = 10_000m };
        }
    }

    /// <summary>Deposits and ticks, in the proportion of a busy server (ticks are journaled like any command).</summary>
    public static EngineCommand Mixed(long i) => (i % 4) switch
    {
        0 => new ApplyTick("EURUSD", 1.1m + (i % 1000) / 1_000_000m, 1.1m + (i % 1000) / 1_000_000m + 0.00002m, Monday10 + i),
        _ => new PostLedger(FirstLogin + i % Accounts, LedgerKind.Deposit, 1.25m) { IdempotencyKey = "bench-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    /// <summary>Writes set-up plus <paramref name="count"/> commands to a fresh journal, each verified against a live engine.</summary>
    public static void WriteJournal(string dataDir, int count, DurabilityMode mode = DurabilityMode.Os)
    {
        var engine = new TradingEngine();
        var journalDir = Path.Combine(dataDir, "journal");
        using var writer = new JournalWriter(journalDir, 0, null, 0, new DurabilityOptions { Mode = mode }, NullLogger.Instance);
        var batch = new List<EngineCommand>();
        var time = Monday10;
        void Apply(EngineCommand command)
        {
            command.Stamp(engine.LastSequence + 1, ++time);
            var (code, message, _) = engine.Execute(command);
            if (code != ReturnCode.Ok) throw new InvalidOperationException($"{command.GetType().Name}: {code} {message}");
            batch.Add(command);
            if (batch.Count < 1000) return;
            writer.Enqueue(new ListEntry(batch));
            batch = new List<EngineCommand>();
        }
        foreach (var command in Setup()) Apply(command);
        for (long i = 0; i < count; i++) Apply(Mixed(i));
        if (batch.Count > 0) writer.Enqueue(new ListEntry(batch));
        writer.WaitForDurableAsync(engine.LastSequence).GetAwaiter().GetResult();
    }

    /// <summary>Engine time for the runner: starts at Monday 10:00 and moves 1 ms per command.</summary>
    public sealed class BenchClock : IEngineClock
    {
        private long _now = Monday10;

        public long UnixMilliseconds() => Interlocked.Increment(ref _now);
    }

    private sealed class ListEntry(List<EngineCommand> commands) : JournalEntry
    {
        public override IReadOnlyList<EngineCommand> Commands => commands;

        public override void Release() { }

        public override void Fail(Exception error) => throw error;
    }
}
