using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Dealwire.Gateway.Outbound;

namespace Dealwire.ServerApi.Tests.GatewayCore;

/// <summary>
/// Quotes drained on the fan-out thread that queued them: written and flushed there when no drain has the output,
/// handed to the writer loop when the socket is full, and never written after the writer loop has returned.
/// </summary>
public sealed class InPlaceDrainTests
{
    private static QuoteFrame Quote(string symbol, string text) => new(symbol, Encoding.ASCII.GetBytes(text));

    [Fact]
    public async Task Quotes_are_written_and_flushed_on_the_thread_that_queued_them_when_the_writer_is_idle()
    {
        var pipe = new Pipe();
        var output = new RecordingWriter(pipe.Writer);
        var queue = new OutboundQueue(1 << 20, 16, quoteBacklogBytes: 1 << 20);
        var writer = queue.RunWriterAsync(output, CancellationToken.None);

        queue.EnqueueQuotes([Quote("EURUSD", "a"), Quote("GBPUSD", "b")], drainInPlace: true);

        // Flushed before the call returned: readable at once, written by this thread.
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal("ab", Encoding.ASCII.GetString(read.Buffer.ToArray()));
        pipe.Reader.AdvanceTo(read.Buffer.End);
        Assert.Equal([Environment.CurrentManagedThreadId], output.FlushThreads.Distinct());

        queue.Complete();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_full_socket_hands_the_flush_to_the_writer_loop_and_every_frame_arrives_once_in_its_kinds_order()
    {
        // Pauses the writer past 8 unread bytes: every in-place flush below finds the "socket" full.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8, resumeWriterThreshold: 4, useSynchronizationContext: false));
        var queue = new OutboundQueue(1 << 20, 1024, quoteBacklogBytes: 1 << 20);
        var writer = queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            queue.EnqueueQuotes([Quote($"S{i}", $"q{i};")], drainInPlace: true);
            if (i % 7 == 0) Assert.True(queue.EnqueueFrame(Encoding.ASCII.GetBytes($"r{i};")));
        }
        queue.Complete();

        // A drain writes replies before quotes, so only each kind's own order is kept.
        var items = (await ReadAllAsync(pipe.Reader, writer)).Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"q{i}"), items.Where(s => s[0] == 'q'));
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i % 7 == 0).Select(i => $"r{i}"), items.Where(s => s[0] == 'r'));
        Assert.Equal(0, queue.QuotesConflated);
        Assert.Equal(0, queue.PendingBytes);
    }

    [Fact]
    public async Task A_reply_is_not_written_before_the_action_queued_with_it_returns_and_quotes_it_starts_follow_it()
    {
        var pipe = new Pipe();
        var queue = new OutboundQueue(1 << 20, 16, quoteBacklogBytes: 1 << 20);
        var writer = queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        using var subscribing = new ManualResetEventSlim();
        using var subscribed = new ManualResetEventSlim();

        // The connection's thread queues "OK" and starts the subscription under the queue's lock (held up here).
        var reply = Task.Run(() => queue.EnqueueFrame(Encoding.ASCII.GetBytes("OK;"), () =>
        {
            subscribing.Set();
            subscribed.Wait(TimeSpan.FromSeconds(10));
        }));
        Assert.True(subscribing.Wait(TimeSpan.FromSeconds(10)));
        // The fan-out's quote waits for the lock; the writer loop cannot take "OK" meanwhile.
        var quote = Task.Run(() => queue.EnqueueQuotes([Quote("EURUSD", "q;")], drainInPlace: true));
        var early = pipe.Reader.ReadAsync().AsTask();
        Assert.False(await Task.WhenAny(early, Task.Delay(300)) == early, "the reply was written before its action returned");

        subscribed.Set();
        Assert.True(await reply.WaitAsync(TimeSpan.FromSeconds(10)));
        await quote.WaitAsync(TimeSpan.FromSeconds(10));
        queue.Complete();
        var text = new StringBuilder();
        var first = await early.WaitAsync(TimeSpan.FromSeconds(10));
        text.Append(Encoding.ASCII.GetString(first.Buffer.ToArray()));
        pipe.Reader.AdvanceTo(first.Buffer.End);
        text.Append(await ReadAllAsync(pipe.Reader, writer));
        Assert.Equal("OK;q;", text.ToString());
    }

    [Fact]
    public async Task Quotes_and_replies_from_concurrent_producers_all_arrive_each_in_its_producers_order()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 256, resumeWriterThreshold: 128, useSynchronizationContext: false));
        var queue = new OutboundQueue(1 << 24, 4096, quoteBacklogBytes: 1 << 24);
        var writer = queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        const int Count = 5_000;
        var quotes = Task.Run(() =>
        {
            for (var i = 0; i < Count; i++) queue.EnqueueQuotes([Quote($"S{i % 4000}", $"q{i};")], drainInPlace: true);
        });
        var replies = Task.Run(() =>
        {
            for (var i = 0; i < Count; i++) Assert.True(queue.EnqueueFrame(Encoding.ASCII.GetBytes($"r{i};")));
        });
        var reading = ReadAllAsync(pipe.Reader, writer);
        await Task.WhenAll(quotes, replies).WaitAsync(TimeSpan.FromSeconds(60));
        queue.Complete();

        var items = (await reading).Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"q{i}"), items.Where(s => s[0] == 'q'));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"r{i}"), items.Where(s => s[0] == 'r'));
        Assert.Equal(2 * Count, items.Length);
    }

    [Fact]
    public async Task The_writer_loop_does_not_return_while_an_in_place_drain_is_writing()
    {
        var pipe = new Pipe();
        using var inWrite = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var output = new RecordingWriter(pipe.Writer, beforeFlush: () =>
        {
            inWrite.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        var queue = new OutboundQueue(1 << 20, 16, quoteBacklogBytes: 1 << 20);
        var writer = queue.RunWriterAsync(output, CancellationToken.None);
        var fanout = Task.Run(() => queue.EnqueueQuotes([Quote("EURUSD", "a")], drainInPlace: true));
        Assert.True(inWrite.Wait(TimeSpan.FromSeconds(10)));

        // The connection is closing while the fan-out thread is still inside the output.
        queue.Complete();
        await Task.Delay(200);
        Assert.False(writer.IsCompleted);

        release.Set();
        await fanout.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal("a", Encoding.ASCII.GetString(read.Buffer.ToArray()));
    }

    [Fact]
    public void Before_the_writer_loop_starts_quotes_wait_for_it()
    {
        var queue = new OutboundQueue(1 << 20, 16, quoteBacklogBytes: 1 << 20);
        queue.EnqueueQuotes([Quote("EURUSD", "a")], drainInPlace: true);
        Assert.Equal(1, queue.QueuedQuotes);
    }

    private static async Task<string> ReadAllAsync(PipeReader reader, Task writer)
    {
        var text = new StringBuilder();
        var finished = writer.ContinueWith(_ => { }, TaskScheduler.Default);
        while (true)
        {
            using var slice = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(slice.Token);
            }
            catch (OperationCanceledException)
            {
                // Nothing more to read: done once the writer loop has returned.
                if (finished.IsCompleted) return text.ToString();
                continue;
            }
            text.Append(Encoding.ASCII.GetString(read.Buffer.ToArray()));
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>A pipe writer that records which threads flush, and can hold a flush (tests only).</summary>
    private sealed class RecordingWriter(PipeWriter inner, Action? beforeFlush = null) : PipeWriter
    {
        public List<int> FlushThreads { get; } = [];

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            lock (FlushThreads) FlushThreads.Add(Environment.CurrentManagedThreadId);
            beforeFlush?.Invoke();
            return inner.FlushAsync(cancellationToken);
        }
    }
}
