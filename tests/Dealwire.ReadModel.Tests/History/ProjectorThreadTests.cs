using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;
using Dealwire.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The history projector runs on a thread of its own, so SQLite's synchronous writes (and their checkpoints and fsyncs)
/// never hold a thread-pool worker the command path needs.
/// </summary>
public sealed class ProjectorThreadTests
{
    [Fact]
    public async Task Every_step_of_a_loop_runs_on_the_scheduler_own_thread()
    {
        using var thread = new ProjectorThread("projector-test");
        var seen = new List<string?>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = thread.Start(async () =>
        {
            seen.Add(Thread.CurrentThread.Name);
            await Task.Delay(5);
            seen.Add(Thread.CurrentThread.Name);
            await Task.Yield();
            seen.Add(Thread.CurrentThread.Name);
            await gate.Task; // completed from a pool thread below
            seen.Add(Thread.CurrentThread.Name);
        });
        await Task.Run(async () =>
        {
            await Task.Delay(20);
            gate.SetResult();
        });
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["projector-test", "projector-test", "projector-test", "projector-test"], seen);
    }

    [Fact]
    public async Task Work_queued_after_disposal_still_runs_on_the_pool()
    {
        var thread = new ProjectorThread("projector-closing");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? after = "not run";
        var loop = thread.Start(async () =>
        {
            await gate.Task;
            after = Thread.CurrentThread.Name;
        });
        await Task.Delay(20);
        thread.Dispose();
        gate.SetResult();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual("projector-closing", after);
        Assert.NotEqual("not run", after);
    }

    [Fact]
    public async Task The_projector_writes_to_its_store_on_its_own_thread()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);
        await using var real = db.OpenStore();
        var calls = new List<(string Method, string? Thread)>();
        var store = Recording(real, calls);
        await using var stream = new CommittedStream(0, new CommittedStreamOptions());
        await using var projector = new HistoryProjector(store, stream, db.Options, NullLogger<HistoryProjector>.Instance);
        projector.Start();

        var engine = new EngineStream();
        var login = engine.Account(1000m);
        stream.OnCommitted(engine.Cut()!);
        engine.Ok(new PostLedger(login, LedgerKind.Deposit, 5m) { Comment = "on the projector's thread" });
        stream.OnCommitted(engine.Cut()!);
        var last = stream.PublishedSequence;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (real.AppliedSequence < last)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the store reached {real.AppliedSequence}, not {last}");
            await Task.Delay(10);
        }
        List<string?> writers;
        lock (calls) writers = calls.Where(c => c.Method == nameof(IHistoryStore.ApplyAsync)).Select(c => c.Thread).ToList();
        Assert.NotEmpty(writers);
        Assert.All(writers, name => Assert.Equal("dealwire-history", name));
    }

    /// <summary>The real store, noting which thread made each call.</summary>
    private static IHistoryStore Recording(IHistoryStore inner, List<(string Method, string? Thread)> calls) => Interception.Wrap(inner, (method, _, next) =>
    {
        lock (calls) calls.Add((method.Name, Thread.CurrentThread.Name));
        return next();
    });
}
