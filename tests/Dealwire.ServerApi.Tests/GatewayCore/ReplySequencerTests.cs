using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Gateway.Outbound;

namespace Dealwire.ServerApi.Tests.GatewayCore;

/// <summary>Replies of concurrent requests leave in request order (the Manager API's rule).</summary>
public sealed class ReplySequencerTests
{
    [Fact]
    public async Task A_later_request_that_finishes_first_waits_for_the_earlier_ones_reply()
    {
        var queue = new OutboundQueue(1 << 20, 16);
        var order = new ReplySequencer(queue);
        var first = order.Next();
        var second = order.Next();
        var third = order.Next();

        third.Send("3"u8.ToArray());
        third.Dispose();
        second.Send("2"u8.ToArray());
        first.Send("1a"u8.ToArray()); // the oldest request writes straight through
        Assert.Equal(3, order.Open);
        first.Send("1b"u8.ToArray());
        first.Dispose();
        second.Dispose();

        Assert.Equal(0, order.Open);
        Assert.Equal("1a1b23", await DrainAsync(queue));
    }

    [Fact]
    public async Task Nothing_is_released_while_the_oldest_request_runs()
    {
        var queue = new OutboundQueue(1 << 20, 16);
        var order = new ReplySequencer(queue);
        var slow = order.Next();
        var fast = order.Next();
        fast.Send("fast"u8.ToArray());
        fast.Dispose();
        // A sentinel straight to the queue (as an event would go) shows what was released so far.
        queue.EnqueueFrame("|"u8.ToArray());
        slow.Send("slow"u8.ToArray());
        slow.Dispose();
        Assert.Equal("|slowfast", await DrainAsync(queue));
    }

    private static async Task<string> DrainAsync(OutboundQueue queue)
    {
        var pipe = new Pipe();
        queue.Complete();
        await queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        return System.Text.Encoding.ASCII.GetString(read.Buffer.ToArray());
    }
}
