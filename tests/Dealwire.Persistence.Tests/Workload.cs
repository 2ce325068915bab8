using System.Collections.Concurrent;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Persistence.Tests;

/// <summary>Engine time for tests: a Monday 10:00 UTC, one millisecond further at every stamp.</summary>
internal sealed class TestClock : IEngineClock
{
    private long _now = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public long UnixMilliseconds() => Interlocked.Increment(ref _now);
}

/// <summary>
/// Drives a running engine like a small broker's day: set-up, then concurrent deposits, trades, closes
/// and ticks. Records every operation the engine acknowledged, to check recovery against.
/// </summary>
internal sealed class Workload(EngineRunner runner)
{
    private static long s_quoteTime = 1;

    public ConcurrentDictionary<string, decimal> AcknowledgedDeposits { get; } = new();

    /// <summary>Every deposit sent, acknowledged or not (a crash may keep a written but unacknowledged one).</summary>
    public ConcurrentDictionary<string, decimal> SubmittedDeposits { get; } = new();

    public ConcurrentBag<long> Accounts { get; } = new();

    public async Task SetupAsync(int accounts = 4)
    {
        await Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 0, Name = "Forex" }));
        await Ok(new UpsertSymbol(new SymbolConfig { Name = "EURUSD", SecurityIndex = 0, Digits = 5, ContractSize = 100_000, BaseCurrency = "EUR", ProfitCurrency = "USD" }));
        await Ok(new UpsertSymbol(new SymbolConfig { Name = "GBPUSD", SecurityIndex = 0, Digits = 5, ContractSize = 100_000, BaseCurrency = "GBP", ProfitCurrency = "USD" }));
        await Ok(new UpsertGroup(new GroupConfig { Name = "demo", Currency = "USD", DefaultLeverage = 100 }));
        await Ok(new ApplyTick("EURUSD", 1.10000m, 1.10002m, 1));
        await Ok(new ApplyTick("GBPUSD", 1.25000m, 1.25003m, 1));
        for (var i = 0; i < accounts; i++)
        {
            var account = await Ok(new CreateAccount(new AccountProfile { Group = "demo", Name = "Client " + i }) { InitialDeposit = 10_000m });
            Accounts.Add(account.Profile.Login);
        }
    }

    /// <summary>Runs <paramref name="clients"/> concurrent loops of <paramref name="operations"/> operations each until done or cancelled.</summary>
    public Task RunAsync(int clients, int operations, int seed, CancellationToken cancellationToken = default) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(seed * 1000 + c, operations, cancellationToken))));

    private async Task ClientAsync(int seed, int operations, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var logins = Accounts.ToArray();
        var open = new List<(long Login, long Ticket)>();
        for (var i = 0; i < operations && !cancellationToken.IsCancellationRequested; i++)
        {
            var login = logins[random.Next(logins.Length)];
            try
            {
                switch (random.Next(5))
                {
                    case 0:
                        var key = $"dep-{seed}-{i}";
                        var amount = random.Next(1, 100_000) / 100m;
                        SubmittedDeposits[key] = amount;
                        var entry = await runner.SubmitAsync(new PostLedger(login, LedgerKind.Deposit, amount) { IdempotencyKey = key }, cancellationToken);
                        if (entry.IsOk) AcknowledgedDeposits[key] = amount;
                        break;
                    case 1:
                    case 2:
                        var trade = await runner.SubmitAsync(new OpenPosition(login, random.Next(2) == 0 ? "EURUSD" : "GBPUSD", random.Next(2) == 0 ? TradeCommand.Buy : TradeCommand.Sell, 1 + random.Next(20)), cancellationToken);
                        if (trade.IsOk) open.Add((login, trade.Value!.Ticket));
                        break;
                    case 3:
                        if (open.Count == 0) goto case 4;
                        var (owner, ticket) = open[^1];
                        open.RemoveAt(open.Count - 1);
                        await runner.SubmitAsync(new ClosePosition(owner, ticket), cancellationToken);
                        break;
                    case 4:
                        var bid = 1.1m + random.Next(-500, 500) / 100_000m;
                        await runner.SubmitAsync(new ApplyTick("EURUSD", bid, bid + 0.00002m, Interlocked.Increment(ref s_quoteTime)), cancellationToken);
                        break;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<T> Ok<T>(EngineCommand<T> command)
    {
        var result = await runner.SubmitAsync(command);
        Assert.True(result.IsOk, $"{command.GetType().Name}: {result.Code} {result.Message}");
        return result.Value!;
    }
}

internal static class EngineChecks
{
    /// <summary>
    /// Every account's balance equals the sum of its balance ledger entries, to the last minor unit. The engine
    /// keeps no ledger: the entries are those a replay of the whole journal books (what the history store
    /// projects), checked against the engine as recovered (snapshot + tail).
    /// </summary>
    public static void AssertBalancesEqualLedgers(TradingEngine engine, string dataDir)
    {
        var ledger = Ledger(dataDir, engine.LastSequence);
        foreach (var account in engine.GetAccounts(GroupMask.All))
        {
            var entries = ledger.Where(l => l.Login == account.Profile.Login).ToList();
            Assert.Equal(entries.Where(l => !l.Kind.TouchesCredit()).Sum(l => l.Amount), account.Margin.Balance);
            Assert.Equal(entries.Where(l => l.Kind.TouchesCredit()).Sum(l => l.Amount), account.Margin.Credit);
        }
    }

    /// <summary>Idempotency keys of every deposit the journal booked, with amounts.</summary>
    public static Dictionary<string, decimal> Deposits(string dataDir, long lastSequence) =>
        Ledger(dataDir, lastSequence)
            .Where(l => l.IdempotencyKey is not null && l.IdempotencyKey.StartsWith("dep-", StringComparison.Ordinal))
            .ToDictionary(l => l.IdempotencyKey!, l => l.Amount);

    /// <summary>The ledger entries a replay of the journal from sequence 1 up to <paramref name="lastSequence"/> books.</summary>
    private static List<LedgerEntry> Ledger(string dataDir, long lastSequence)
    {
        var records = Journals.ReadAll(Path.Combine(dataDir, "journal"), out _);
        Assert.True(records.Count > 0 && records[0].Sequence == 1, "the journal must start at sequence 1 to rebuild the ledger");
        var replay = new TradingEngine();
        var ledger = new List<LedgerEntry>();
        foreach (var (sequence, _, _, command) in records)
        {
            if (sequence > lastSequence) break;
            Assert.Equal(ReturnCode.Ok, replay.Execute(command).Code);
            ledger.AddRange(replay.LastEvents.OfType<Dealwire.Engine.Events.BalanceEvent>().Select(b => b.Entry));
        }
        return ledger;
    }
}
