using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Persistence.Tools;

namespace Dealwire.Persistence.Tests;

/// <summary>Idempotency keys outlive the process: through the binary journal, and through a compaction that leaves only a snapshot.</summary>
public class IdempotencyDurabilityTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_retry_after_a_restart_answers_the_original_outcome(bool compact)
    {
        using var dir = new TempDir();
        var (store, runner) = DurableStoreTests.Start(dir.Path);
        var workload = new Workload(runner);
        await workload.SetupAsync(accounts: 1);
        var login = workload.Accounts.Single();
        var position = await Ok(runner.SubmitAsync(Open(login)));
        var withdrawal = await Ok(runner.SubmitAsync(Withdraw(login)));
        var closed = await Ok(runner.SubmitAsync(new ClosePosition(login, position.Ticket) { IdempotencyKey = "close-1", Actor = "manager:1" }));
        var live = await DurableStoreTests.StopAsync(store, runner);
        if (compact)
        {
            var report = await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 1 });
            Assert.Equal(live.Hash, report.Snapshot!.StateHash);
        }

        (store, runner) = DurableStoreTests.Start(dir.Path);
        Assert.Equal(live.Hash, store.Report.StateHash);
        var reopened = await runner.SubmitAsync(Open(login));
        var rewithdrawn = await runner.SubmitAsync(Withdraw(login));
        var reclosed = await runner.SubmitAsync(new ClosePosition(login, position.Ticket) { IdempotencyKey = "close-1", Actor = "manager:1" });
        var different = await runner.SubmitAsync(Withdraw(login) with { Amount = -2m });
        var hash = await runner.ExclusiveAsync(e => e.StateHash());
        await DurableStoreTests.StopAsync(store, runner);

        Assert.Equal((ReturnCode.OkNone, position.Ticket), (reopened.Code, reopened.Value!.Ticket));
        Assert.Equal((ReturnCode.OkNone, withdrawal), (rewithdrawn.Code, rewithdrawn.Value));
        Assert.Equal((ReturnCode.OkNone, closed.ClosePrice), (reclosed.Code, reclosed.Value!.ClosePrice));
        Assert.Equal(ReturnCode.ErrDuplicate, different.Code);
        Assert.Equal(live.Hash, hash); // nothing was booked again
    }

    private static OpenPosition Open(long login) => new(login, "EURUSD", TradeCommand.Buy, 100) { IdempotencyKey = "place-1", Actor = "manager:1" };

    private static PostLedger Withdraw(long login) =>
        new(login, LedgerKind.Withdrawal, -1m) { IdempotencyKey = "wd-1", Reference = "psp-1", Actor = "manager:1" };

    private static async Task<T> Ok<T>(Task<CommandResult<T>> pending)
    {
        var result = await pending;
        Assert.True(result.Code == ReturnCode.Ok, $"{result.Code} {result.Message}");
        return result.Value!;
    }
}
