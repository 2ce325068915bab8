using System.Buffers;
using System.Text;

namespace Dealwire.ServerApi.Tests;

/// <summary>The outbound quote backlog: every tick in order while the reader keeps up, latest-wins conflation once it falls behind.</summary>
public sealed class QuoteBacklogTests
{
    [Fact]
    public async Task Quotes_within_the_backlog_are_all_delivered_in_order()
    {
        var queue = new Dealwire.Gateway.Outbound.OutboundQueue(1 << 20, 16, quoteBacklogBytes: 3);
        queue.EnqueueQuote("EURUSD", "1"u8.ToArray());
        queue.EnqueueQuote("GBPUSD", "2"u8.ToArray());
        Assert.False(queue.EnqueueQuotes([new Dealwire.Gateway.Outbound.QuoteFrame("EURUSD", "3"u8.ToArray())]));
        Assert.Equal(0, queue.QuotesConflated);
        Assert.Equal("123", await DrainAsync(queue));
    }

    [Fact]
    public async Task Past_the_backlog_waiting_quotes_conflate_per_symbol_and_the_reader_counts_as_behind()
    {
        var queue = new Dealwire.Gateway.Outbound.OutboundQueue(1 << 20, 16, quoteBacklogBytes: 3);
        queue.EnqueueQuote("EURUSD", "1"u8.ToArray());
        queue.EnqueueQuote("GBPUSD", "2"u8.ToArray());
        queue.EnqueueQuote("EURUSD", "3"u8.ToArray());
        Assert.True(queue.EnqueueQuotes([new Dealwire.Gateway.Outbound.QuoteFrame("GBPUSD", "4"u8.ToArray())]));
        // EURUSD 1 → 3 and GBPUSD 2 → 4: the latest of each, in the order the symbols first waited.
        Assert.Equal(2, queue.QuotesConflated);
        Assert.Equal("34", await DrainAsync(queue));
    }

    [Fact]
    public async Task Quotes_count_as_behind_past_half_the_backlog_until_the_writer_takes_them()
    {
        var queue = new Dealwire.Gateway.Outbound.OutboundQueue(1 << 20, 16, quoteBacklogBytes: 4);
        queue.EnqueueQuote("EURUSD", "1"u8.ToArray());
        queue.EnqueueQuote("GBPUSD", "2"u8.ToArray());
        Assert.False(queue.QuotesBehind); // 2 bytes of 4: within half the backlog
        queue.EnqueueQuote("USDJPY", "3"u8.ToArray());
        Assert.True(queue.QuotesBehind);
        Assert.Equal("123", await DrainAsync(queue));
        Assert.False(queue.QuotesBehind);
    }

    [Fact]
    public async Task Replies_enqueued_together_leave_in_order()
    {
        var queue = new Dealwire.Gateway.Outbound.OutboundQueue(1 << 20, 16);
        Assert.True(queue.EnqueueFrames(["a"u8.ToArray(), "b"u8.ToArray()]));
        Assert.True(queue.EnqueueFrame("c"u8.ToArray()));
        Assert.False(new Dealwire.Gateway.Outbound.OutboundQueue(3, 16).EnqueueFrames(["ab"u8.ToArray(), "cd"u8.ToArray()]));
        Assert.Equal("abc", await DrainAsync(queue));
    }

    private static async Task<string> DrainAsync(Dealwire.Gateway.Outbound.OutboundQueue queue)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        queue.Complete();
        await queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        return Encoding.ASCII.GetString(read.Buffer.ToArray());
    }
}
