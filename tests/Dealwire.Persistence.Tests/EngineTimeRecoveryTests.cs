using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tests;

/// <summary>
/// The time commands (the host's AdvanceTime, the runner's catch-up step, SetRolloverTime) go through the
/// journal like any command: recovery from the journal alone and from a snapshot reproduces the rollovers,
/// the rollover time and the day-end balances, state hash for state hash.
/// </summary>
public class EngineTimeRecoveryTests
{
    private const long Hour = 3_600_000;
    private static readonly long Monday = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private sealed class SettableClock(long now) : IEngineClock
    {
        public long Now = now;

        public long UnixMilliseconds() => Interlocked.Read(ref Now);
    }

    [Fact]
    public void Time_commands_travel_as_tagged_json_and_come_back_equal()
    {
        foreach (var command in new EngineCommand[] { new AdvanceTime { Actor = AdvanceTime.ClockActor }, new SetRolloverTime(new TimeSpan(21, 30, 5)) })
        {
            Commands.Stamp(command, 9);
            var buffer = new Dealwire.Persistence.IO.RecordBuffer();
            CommandCodec.Write(CommandCodec.Tagged, command, buffer);
            Assert.Equal(command, CommandCodec.Read(CommandCodec.Tagged, 9, buffer.Written));
        }
    }

    [Fact]
    public async Task Recovery_reproduces_rollovers_the_rollover_time_and_day_end_balances()
    {
        using var dir = new TempDir();
        var clock = new SettableClock(Monday + 10 * Hour);
        string liveHash;
        long login;
        {
            var store = DurableStore.Open(dir.Path, DurableStoreTests.Quiet(), NullLogger.Instance);
            var runner = new EngineRunner(store.Engine, store.Journal, clock);
            runner.Start();
            var workload = new Workload(runner);
            await workload.SetupAsync(accounts: 1);
            login = workload.Accounts.Single();
            await runner.SubmitAsync(new UpsertSymbol(new SymbolConfig
            {
                Name = "EURUSD", SecurityIndex = 0, Digits = 5, ContractSize = 100_000, BaseCurrency = "EUR", ProfitCurrency = "USD",
                SwapEnabled = true, SwapType = SwapType.Points, SwapLong = -5m,
            }));
            var buy = (await runner.SubmitAsync(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 100))).Value!;
            Assert.Equal(ReturnCode.Ok, (await runner.SubmitAsync(new SetRolloverTime(TimeSpan.FromHours(22)))).Code);

            clock.Now = Monday + 22 * Hour + 1_000; // Monday 22:00:01: the host's clock ends Monday
            Assert.Equal(ReturnCode.Ok, (await runner.SubmitAsync(new AdvanceTime { Actor = AdvanceTime.ClockActor })).Code);
            await runner.SubmitAsync(new PostLedger(login, LedgerKind.Deposit, 500m));
            clock.Now = Monday + 46 * Hour + 1_000; // Tuesday 22:00:01: no clock command, the close itself lets time pass
            var closed = (await runner.SubmitAsync(new ClosePosition(login, buy.Ticket))).Value!;
            Assert.Equal(-10.00m, closed.Swap); // Monday and Tuesday nights, −5.00 each

            await runner.StopAsync();
            liveHash = store.Engine.StateHash();
            await store.CloseAsync();
        }

        var recovered = DurableStore.Open(dir.Path, DurableStoreTests.Quiet(), NullLogger.Instance);
        try
        {
            Assert.Null(recovered.Report.Snapshot);
            Assert.Equal(liveHash, recovered.Report.StateHash);
            Assert.Equal(TimeSpan.FromHours(22), recovered.Engine.Settings.RolloverTime);
            // 10 000 deposit − 2.00 spread, + 500 after Monday's end: Tuesday ended at 10 500.00 before the close.
            Assert.Equal(10_500m, recovered.Engine.GetMargin(login)!.PreviousDayBalance);
        }
        finally
        {
            await recovered.CloseAsync();
        }
    }
}
