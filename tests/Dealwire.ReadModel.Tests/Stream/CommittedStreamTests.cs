using System.Diagnostics.Metrics;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Stream;

namespace Dealwire.ReadModel.Tests.Stream;

public sealed class CommittedStreamTests
{
    [Fact]
    public async Task A_consumer_receives_every_batch_once_in_order()
    {
        await using var stream = new CommittedStream(0);
        var consumer = new RecordingConsumer();
        using var _ = stream.Subscribe("projection", 0, consumer);
        var random = new Random(7);
        var last = 0L;
        for (var i = 0; i < 500; i++) last = Batches.Publish(stream, last, 1, random.Next(1, 5));

        await consumer.WaitForAsync(last);
        consumer.AssertContiguous(0, last);
        Assert.Equal(500, consumer.Received.Count);
        Assert.Equal(last, stream.PublishedSequence);
    }

    [Fact]
    public async Task Several_consumers_each_keep_their_own_position()
    {
        await using var stream = new CommittedStream(0);
        var early = new RecordingConsumer();
        var late = new RecordingConsumer();
        using var a = stream.Subscribe("early", 0, early);
        var last = Batches.Publish(stream, 0, 5);
        using var b = stream.Subscribe("late", 5, late);
        last = Batches.Publish(stream, last, 5);

        await early.WaitForAsync(last);
        await late.WaitForAsync(last);
        early.AssertContiguous(0, 10);
        late.AssertContiguous(5, 10);
    }

    [Fact]
    public async Task A_stalled_consumer_slows_neither_the_publisher_nor_the_others_and_catches_up_through_the_backfill()
    {
        var backfill = new SequenceBackfill(batchSize: 3);
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 8 }, backfill);
        var gate = new SemaphoreSlim(0);
        var stalled = new RecordingConsumer { Hold = gate };
        var fast = new RecordingConsumer();
        using var s = stream.Subscribe("stalled", 0, stalled);
        using var f = stream.Subscribe("fast", 0, fast);

        // Ten windows' worth while one consumer takes nothing: OnCommitted never waits, so this loop finishes.
        var last = Batches.Publish(stream, 0, 80);
        await fast.WaitForAsync(last);
        fast.AssertContiguous(0, last);
        Assert.Equal(0, stalled.Last);
        Assert.Equal(last, stream.GetConsumers().Single(c => c.Name == "stalled").Lag);

        gate.Release(int.MaxValue / 2);
        await stalled.WaitForAsync(last);
        stalled.AssertContiguous(0, last);
        Assert.True(backfill.Reads >= 1, "the lapped consumer must have read the missing sequences from the backfill");
        Assert.Equal(0, stream.GetConsumers().Single(c => c.Name == "stalled").Lag);
    }

    [Fact]
    public async Task A_lapped_consumer_without_a_backfill_stops_with_a_gap_and_the_others_go_on()
    {
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 4 });
        var gate = new SemaphoreSlim(0);
        var stalled = new RecordingConsumer { Hold = gate };
        var fast = new RecordingConsumer();
        using var s = stream.Subscribe("stalled", 0, stalled);
        using var f = stream.Subscribe("fast", 0, fast);
        var last = 0L;
        for (var i = 0; i < 20; i++)
        {
            // The fast consumer keeps within the 4-batch window; the stalled one is lapped several times over.
            last = Batches.Publish(stream, last, 1);
            await fast.WaitForAsync(last);
        }
        gate.Release(int.MaxValue / 2);

        // The stalled consumer had taken batch 1 before the gate; it then needs 2, long overwritten.
        await WaitUntilAsync(() => stream.GetConsumers().Single(c => c.Name == "stalled").State == "faulted");
        var status = stream.GetConsumers().Single(c => c.Name == "stalled");
        Assert.Contains("no IStreamBackfill is registered", status.Error);
        // The consumer hears it too (a gateway's link ends there), and the healthy one does not.
        await WaitUntilAsync(() => stalled.Stopped is not null);
        Assert.Contains("no IStreamBackfill is registered", stalled.Stopped?.Message);
        Assert.Null(fast.Stopped);
        last = Batches.Publish(stream, last, 1);
        await fast.WaitForAsync(last);
    }

    [Fact]
    public async Task Subscribing_behind_the_window_reads_the_backfill_and_joins_the_live_batches_without_gap_or_repeat()
    {
        var backfill = new SequenceBackfill(batchSize: 7);
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 8 }, backfill);
        var last = Batches.Publish(stream, 0, 40, size: 2);
        var consumer = new RecordingConsumer();
        using var _ = stream.Subscribe("history", 11, consumer);
        // Live batches keep coming while the consumer is in the backfill: the seam moves under it.
        var publisher = Task.Run(() => Batches.Publish(stream, last, 200, size: 3));
        last = await publisher;

        await consumer.WaitForAsync(last);
        consumer.AssertContiguous(11, last);
        Assert.True(backfill.Reads >= 1);
    }

    [Fact]
    public async Task Subscribing_from_a_sequence_the_window_still_holds_needs_no_backfill()
    {
        await using var stream = new CommittedStream(100, new CommittedStreamOptions { WindowBatches = 8 });
        var last = Batches.Publish(stream, 100, 6);
        var consumer = new RecordingConsumer();
        using var _ = stream.Subscribe("gateway", 102, consumer);
        await consumer.WaitForAsync(last);
        consumer.AssertContiguous(102, last);
    }

    [Fact]
    public async Task Batches_every_consumer_has_read_are_let_go_except_the_retained_tail()
    {
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 1024, RetainSequences = 4 });
        var consumer = new RecordingConsumer();
        using var _ = stream.Subscribe("projection", 0, consumer);
        var published = PublishTracked(stream, 0, 20);
        await consumer.WaitForAsync(20);

        // Held to the ring's wrap, these would live long enough to reach the collector's oldest generation.
        await WaitUntilAsync(() => Collected(published[..16]));
        GC.Collect();
        Assert.All(published[16..], batch => Assert.True(batch.IsAlive, "the newest RetainSequences stay for a late subscriber"));

        // A subscriber from inside the retained tail needs no backfill; one from before it is told where the stream starts.
        var late = new RecordingConsumer();
        using var l = stream.Subscribe("gateway", 16, late);
        await late.WaitForAsync(20);
        late.AssertContiguous(16, 20);
        var gap = Assert.Throws<StreamGapException>(() => stream.Subscribe("history", 10, new RecordingConsumer()));
        Assert.Contains("after sequence 10", gap.Message);
    }

    [Fact]
    public async Task A_hold_keeps_what_a_later_subscriber_needs_until_it_is_disposed()
    {
        // No backfill and no tail: what the hold did not keep would be refused to the late subscriber.
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 1024, RetainSequences = 0 });
        var hold = stream.Hold(5);
        var early = new RecordingConsumer();
        using var e = stream.Subscribe("live-view", 0, early);
        var published = PublishTracked(stream, 0, 20);
        await early.WaitForAsync(20);

        // What the first consumer read before the hold's sequence goes; after it, everything stays.
        await WaitUntilAsync(() => Collected(published[..5]));
        GC.Collect();
        Assert.All(published[5..], batch => Assert.True(batch.IsAlive, "a batch after the hold's sequence must stay"));
        var late = new RecordingConsumer();
        using var l = stream.Subscribe("history", 5, late);
        hold.Dispose();
        await late.WaitForAsync(20);
        late.AssertContiguous(5, 20);

        // Both have read everything and nothing else holds: all of it is let go.
        Batches.Publish(stream, 20, 1);
        await early.WaitForAsync(21);
        await late.WaitForAsync(21);
        await WaitUntilAsync(() => Collected(published));
    }

    [Fact]
    public async Task A_lagging_consumer_keeps_what_it_has_not_read_and_lets_it_go_once_it_has()
    {
        // No backfill: had anything the stalled consumer still needs been let go, it would fault with a gap.
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 64, RetainSequences = 0 });
        var gate = new SemaphoreSlim(0);
        var stalled = new RecordingConsumer { Hold = gate };
        var fast = new RecordingConsumer();
        using var s = stream.Subscribe("stalled", 0, stalled);
        using var f = stream.Subscribe("fast", 0, fast);
        var published = PublishTracked(stream, 0, 30);
        await fast.WaitForAsync(30);
        GC.Collect();
        Assert.All(published[1..], batch => Assert.True(batch.IsAlive, "a batch the stalled consumer has not read must stay"));

        gate.Release(int.MaxValue / 2);
        await stalled.WaitForAsync(30);
        stalled.AssertContiguous(0, 30);
        Assert.Equal("live", stream.GetConsumers().Single(c => c.Name == "stalled").State);
        await WaitUntilAsync(() => Collected(published[..29]));
    }

    [Fact]
    public async Task A_faulted_consumer_holds_no_batches()
    {
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 1024, RetainSequences = 0 });
        var healthy = new RecordingConsumer();
        using var a = stream.Subscribe("broken", 0, new FailingConsumer(failAt: 3));
        using var b = stream.Subscribe("healthy", 0, healthy);
        await WaitUntilAsync(() => { Batches.Publish(stream, stream.PublishedSequence, 1); return stream.GetConsumers().Single(c => c.Name == "broken").State == "faulted"; });

        var published = PublishTracked(stream, stream.PublishedSequence, 20);
        var last = stream.PublishedSequence;
        await healthy.WaitForAsync(last);
        // The faulted consumer stopped at sequence 2 and stays listed, but what only it had not read is let go.
        await WaitUntilAsync(() => Collected(published[..19]));
        Assert.Equal(2, stream.GetConsumers().Single(c => c.Name == "broken").Sequence);
    }

    /// <summary>Publishes batches of one sequence each and returns weak references to them (no strong one stays here).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference[] PublishTracked(CommittedStream stream, long after, int count)
    {
        var references = new WeakReference[count];
        for (var i = 0; i < count; i++)
        {
            var batch = Batches.Range(after + i + 1, after + i + 1);
            references[i] = new WeakReference(batch);
            stream.OnCommitted(batch);
        }
        return references;
    }

    private static bool Collected(WeakReference[] batches)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return batches.All(b => !b.IsAlive);
    }

    [Fact]
    public async Task Subscribing_behind_the_window_without_a_backfill_is_refused_clearly()
    {
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { WindowBatches = 4 });
        Batches.Publish(stream, 0, 10);
        var error = Assert.Throws<StreamGapException>(() => stream.Subscribe("history", 2, new RecordingConsumer()));
        Assert.Equal("history", error.Consumer);
        Assert.Contains("after sequence 2", error.Message);
        // Behind the start (nothing published yet since recovery) is the same case.
        await using var fresh = new CommittedStream(50);
        Assert.Throws<StreamGapException>(() => fresh.Subscribe("history", 10, new RecordingConsumer()));
    }

    [Fact]
    public async Task Subscribing_beyond_the_committed_sequence_is_refused()
    {
        await using var stream = new CommittedStream(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Subscribe("x", 11, new RecordingConsumer()));
    }

    [Fact]
    public async Task A_gap_from_upstream_is_refused_rather_than_passed_on()
    {
        await using var stream = new CommittedStream(10);
        Assert.Throws<InvalidOperationException>(() => stream.OnCommitted(Batches.Range(12, 12)));
        Assert.Equal(10, stream.PublishedSequence);
    }

    [Fact]
    public async Task A_consumer_that_throws_is_stopped_and_shown_faulted_while_the_others_go_on()
    {
        await using var stream = new CommittedStream(0);
        var healthy = new RecordingConsumer();
        using var a = stream.Subscribe("broken", 0, new FailingConsumer(failAt: 3));
        using var b = stream.Subscribe("healthy", 0, healthy);
        var last = Batches.Publish(stream, 0, 10);
        await healthy.WaitForAsync(last);
        await WaitUntilAsync(() => stream.GetConsumers().Single(c => c.Name == "broken").State == "faulted");
        var broken = stream.GetConsumers().Single(c => c.Name == "broken");
        Assert.Equal(2, broken.Sequence);
        Assert.Equal("projection broke", broken.Error);
    }

    [Fact]
    public async Task A_disposed_subscription_is_not_called_again()
    {
        await using var stream = new CommittedStream(0);
        var leaving = new RecordingConsumer();
        var sentinel = new RecordingConsumer();
        var subscription = stream.Subscribe("leaving", 0, leaving);
        using var s = stream.Subscribe("sentinel", 0, sentinel);
        var last = Batches.Publish(stream, 0, 3);
        await leaving.WaitForAsync(last);

        subscription.Dispose();
        Assert.DoesNotContain(stream.GetConsumers(), c => c.Name == "leaving");
        last = Batches.Publish(stream, last, 3);
        await sentinel.WaitForAsync(last);
        Assert.Equal(3, leaving.Last);
    }

    [Fact]
    public async Task Disposing_the_stream_stops_every_consumer_and_ignores_later_batches()
    {
        var stream = new CommittedStream(0);
        var gate = new SemaphoreSlim(0);
        var waiting = new RecordingConsumer { Hold = gate };
        var idle = new RecordingConsumer();
        stream.Subscribe("waiting", 0, waiting);
        stream.Subscribe("idle", 0, idle);
        Batches.Publish(stream, 0, 1);

        await stream.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(stream.GetConsumers());
        stream.OnCommitted(Batches.Range(2, 2));
        Assert.Equal(1, stream.PublishedSequence);
        Assert.Throws<ObjectDisposedException>(() => stream.Subscribe("late", 1, new RecordingConsumer()));
    }

    [Fact]
    public async Task Lag_per_consumer_is_published_as_a_metric()
    {
        await using var stream = new CommittedStream(0);
        var gate = new SemaphoreSlim(0);
        using var s = stream.Subscribe("lagging", 0, new RecordingConsumer { Hold = gate });
        Batches.Publish(stream, 0, 5, size: 2);

        var lags = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Dealwire.ReadModel" && instrument.Name == "dealwire_stream_consumer_lag") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "consumer") lags[(string)tag.Value!] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(10, lags["lagging"]);
        gate.Release(100);
    }

    [Fact]
    public async Task The_runner_publishes_each_durable_batch_with_its_commands_as_journaled_and_their_events()
    {
        var engine = new TradingEngine();
        await using var stream = new CommittedStream(engine.LastSequence);
        var received = new BatchCollector();
        using var _ = stream.Subscribe("test", engine.LastSequence, received);
        await using var runner = new EngineRunner(engine);
        runner.AddCommittedSink(stream);
        runner.Start();
        foreach (var command in DemoDefaults.Commands()) Assert.Equal(ReturnCode.Ok, (await runner.SubmitAsync(command)).Code);
        var created = await runner.SubmitAsync(new CreateAccount(new AccountProfile { Group = "demo", Name = "Stream" }) { InitialDeposit = 1000m });
        Assert.Equal(ReturnCode.Ok, created.Code);

        var last = await runner.QueryAsync(r => r.LastSequence);
        Assert.Equal(last, stream.PublishedSequence);
        await received.Consumer.WaitForAsync(last);
        received.Consumer.AssertContiguous(0, last);
        var commands = received.Batches.SelectMany(b => b.Commands).ToList();
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), commands.Select(c => c.Sequence));
        Assert.Contains(commands, c => c is CreateAccount);
        Assert.Contains(received.Batches.SelectMany(b => b.Events), e => e is Engine.Events.AccountEvent);
        Assert.All(received.Batches.SelectMany(b => b.Events), e => Assert.InRange(e.Sequence, 1, last));
    }

    private sealed class BatchCollector : ICommittedConsumer
    {
        public RecordingConsumer Consumer { get; } = new();

        public List<CommittedBatch> Batches { get; } = new();

        public ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken)
        {
            lock (Batches) Batches.Add(batch);
            return Consumer.OnBatchAsync(batch, cancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not reached in 10 s.");
            await Task.Delay(10);
        }
    }
}
