using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;

namespace Dealwire.ReadModel.Tests.Live;

/// <summary>
/// A live view whose subscription stops by itself (lapped with no journal to read the gap from) does not move again:
/// a read waiting for a later sequence fails at once with the reason. Before the view heard of it, such a read (every
/// read-your-writes read of a gateway) waited for good.
/// </summary>
public sealed class LiveViewStopTests
{
    [Fact]
    public async Task A_view_lapped_without_a_backfill_fails_the_reads_waiting_for_it_with_the_reason()
    {
        await using var h = await LiveHarness.StartAsync(beforeView: LiveHarness.DemoWithPrices(), streamOptions: new CommittedStreamOptions { WindowBatches = 4 });
        using var gate = new ManualResetEventSlim();
        h.View.AddObserver(new HeldObserver(gate));
        var seeded = h.View.Sequence;

        // The view holds its first batch at the observer while far more than the window is committed.
        for (var i = 0; i < 20; i++) await h.OkAsync(new ApplyTick("EURUSD", 1.10000m + i * 0.00001m, 1.10002m + i * 0.00001m, LiveHarness.Monday10));
        var last = h.Stream.PublishedSequence;
        var waiting = h.View.WaitForAsync(last).AsTask();
        Assert.False(waiting.IsCompleted);
        gate.Set();

        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.StartsWith("The live view stopped at sequence ", stopped.Message);
        Assert.Contains("no IStreamBackfill is registered", stopped.Message);
        Assert.Equal("faulted", h.Stream.GetConsumers().Single(c => c.Name == LiveView.ConsumerName).State);
        // A later wait fails at once; a read of what the view has applied is still served.
        Assert.True(h.View.WaitForAsync(last).AsTask().IsFaulted);
        Assert.True(h.View.WaitForAsync(seeded).AsTask().IsCompletedSuccessfully);
    }

    private sealed class HeldObserver(ManualResetEventSlim gate) : ILiveObserver
    {
        public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events) => gate.Wait(TimeSpan.FromSeconds(30));
    }
}
