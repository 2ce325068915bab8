using System.Diagnostics;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;
using Dealwire.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// A subscription that stops by itself while the projector runs (lapped with no backfill to read the gap from) must
/// stop the projector with the reason, as a store it cannot catch up at start does. Before the projector heard of it,
/// it kept <c>Running</c> with no error and waited for good on a queue nothing filled any more, and every read that
/// waited for the store to catch up waited out its whole timeout.
/// </summary>
public sealed class ProjectorStopTests
{
    [Fact]
    public async Task A_subscription_lapped_under_a_running_projector_stops_it_with_the_reason_after_what_it_queued()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);
        await using var real = db.OpenStore();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = Gated(real, gate.Task, entered);
        // No backfill and a window of four batches; the projector queues at most one batch while its store waits.
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 4 });
        var options = db.Options;
        options.QueueCapacity = 1;
        await using var projector = new HistoryProjector(store, stream, options, NullLogger<HistoryProjector>.Instance);
        projector.Start();
        await UntilAsync(() => projector.Running, "the projector running");

        var engine = new EngineStream();
        var login = engine.Account(1000m);
        stream.OnCommitted(engine.Cut()!);
        var opened = stream.PublishedSequence;
        // The first batch is in the projector's write, held by its store; the second waits in its queue.
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        engine.Ok(new PostLedger(login, LedgerKind.Deposit, 1m) { Comment = "deposit queued" });
        stream.OnCommitted(engine.Cut()!);
        var queued = stream.PublishedSequence;
        await UntilAsync(() => stream.GetConsumers().Single(c => c.Name == HistoryProjector.SubscriptionName).Sequence >= queued, "the second batch queued");
        // Then far more than the window: the subscription is lapped.
        for (var i = 0; i < 20; i++)
        {
            engine.Ok(new PostLedger(login, LedgerKind.Deposit, 1m) { Comment = $"deposit {i}" });
            stream.OnCommitted(engine.Cut()!);
        }
        // Held by its store, the projector has taken the first batches; the stream has lapped its subscription.
        Assert.True(projector.Running);
        Assert.Null(projector.LastError);
        // A gateway's read waits for the store to hold what was published (read-your-writes).
        var reader = new ReadYourWritesHistory(real, stream, projector) { Timeout = TimeSpan.FromMinutes(2) };
        var waiting = reader.GetLedgerAsync(new HistoryQuery { Login = login });
        Assert.False(waiting.IsCompleted);
        gate.SetResult();

        await UntilAsync(() => projector.LastError is not null, "the projector's error");
        Assert.StartsWith("stopped: ", projector.LastError);
        Assert.Contains("no IStreamBackfill is registered", projector.LastError);
        Assert.False(projector.Running);
        Assert.Equal(0, stream.HoldCount);
        var subscription = stream.GetConsumers().SingleOrDefault(c => c.Name == HistoryProjector.SubscriptionName);
        Assert.True(subscription is null || subscription.State == "faulted", $"the subscription is {subscription?.State}");
        // What it had taken and queued before the lapping is in the store, contiguous from the start, and nothing after it.
        var applied = real.AppliedSequence;
        Assert.True(applied >= queued && applied < stream.PublishedSequence, $"applied {applied}: queued {queued}, published {stream.PublishedSequence}");
        var ledger = await real.GetLedgerAsync(new HistoryQuery { Login = login });
        Assert.Equal(applied - opened, ledger.Rows.Count(e => e.Comment?.StartsWith("deposit ", StringComparison.Ordinal) == true));

        // The waiting read fails when the projector stops, not when its two minutes are out, and says why; so does the next.
        var failed = await Assert.ThrowsAsync<HistoryUnavailableException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal($"the history store is at sequence {applied}, behind the committed {stream.PublishedSequence}, and its projector has stopped " +
            $"({(await projector.Stopped)}): run dealwire history rebuild", failed.Message);
        Assert.Contains("no IStreamBackfill is registered", failed.Message);
        var next = reader.GetLedgerAsync(new HistoryQuery { Login = login });
        Assert.True(next.IsFaulted, "a read after the stop must fail at once");
        await Assert.ThrowsAsync<HistoryUnavailableException>(() => next);
        // So does a wait for a sequence (GetLogs' read-your-writes), which had no bound at all.
        var wait = reader.WaitForAsync(stream.PublishedSequence).AsTask();
        Assert.True(wait.IsFaulted, "a wait after the stop must fail at once");
        await Assert.ThrowsAsync<HistoryUnavailableException>(() => wait);
    }

    [Fact]
    public async Task A_wait_for_a_sequence_the_store_does_not_reach_fails_after_the_reader_timeout()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);
        await using var store = db.OpenStore();
        await using var stream = new CommittedStream(0, new CommittedStreamOptions());
        // The projector never runs: the store stays at 0 (a database that does not answer).
        await using var projector = new HistoryProjector(store, stream, db.Options, NullLogger<HistoryProjector>.Instance);
        var reader = new ReadYourWritesHistory(store, stream, projector) { Timeout = TimeSpan.FromMilliseconds(200) };
        var failed = await Assert.ThrowsAsync<HistoryUnavailableException>(() => reader.WaitForAsync(5).AsTask().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("the history store is at sequence 0, behind the committed 5; try again later", failed.Message);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>The real store, whose writes first wait for the gate (a database that is slow); <paramref name="entered"/> completes at the first.</summary>
    private static IHistoryStore Gated(IHistoryStore inner, Task gate, TaskCompletionSource entered) => Interception.Wrap(inner, (method, args, next) =>
    {
        if (method.Name != nameof(IHistoryStore.ApplyAsync)) return next();
        return ApplyAfterGateAsync();

        async Task ApplyAfterGateAsync()
        {
            entered.TrySetResult();
            await gate.WaitAsync((CancellationToken)args[1]!);
            await (Task)next()!;
        }
    });
}
