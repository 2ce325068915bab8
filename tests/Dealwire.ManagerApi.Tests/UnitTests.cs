using System.Text.Json;
using Dealwire.Gateway.Outbound;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Tests;

public sealed class ManagerIdsTests
{
    [Theory]
    [InlineData(EntityKind.Account, 1L, "64770002-0000-8000-8000-000000000001")]
    [InlineData(EntityKind.Position, 1001L, "64770003-0000-8000-8000-0000000003e9")]
    [InlineData(EntityKind.Trader, 4611686018427387903L, "64770001-0000-8000-bfff-ffffffffffff")]
    public void Uuids_are_deterministic_version_8_and_read_back(EntityKind kind, long number, string expected)
    {
        var uuid = ManagerIds.ToUuid(kind, number);
        Assert.Equal(expected, uuid.ToString());
        Assert.Equal(8, uuid.Version);
        Assert.True(ManagerIds.TryFromUuid(kind, uuid, out var back));
        Assert.Equal(number, back);
    }

    [Fact]
    public void A_uuid_of_another_kind_or_origin_does_not_convert()
    {
        var account = ManagerIds.ToUuid(EntityKind.Account, 7);
        Assert.False(ManagerIds.TryFromUuid(EntityKind.Position, account, out _));
        Assert.False(ManagerIds.TryFromUuid(EntityKind.Account, Guid.NewGuid(), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ManagerIds.ToUuid(EntityKind.Account, -1));
    }

    [Theory]
    [InlineData("\"1001\"", IdReadStatus.Ok, 1001)]
    [InlineData("1001", IdReadStatus.Ok, 1001)]
    [InlineData("\"0\"", IdReadStatus.Unknown, ManagerIds.NoSuchEntity)]
    [InlineData("\"12a\"", IdReadStatus.Unknown, ManagerIds.NoSuchEntity)]
    [InlineData("\"no-such-account\"", IdReadStatus.Unknown, ManagerIds.NoSuchEntity)]
    [InlineData("1.5", IdReadStatus.NotConvertible, 0)]
    [InlineData("{\"id\":1}", IdReadStatus.BadShape, 0)]
    [InlineData("true", IdReadStatus.BadShape, 0)]
    public void Seed_ids_are_decimal_strings_or_numbers(string json, IdReadStatus status, long number)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(status, ManagerIds.ReadSeed(doc.RootElement, out var n));
        Assert.Equal(number, n);
    }

    [Theory]
    [InlineData("{\"id\":42}", IdReadStatus.Ok, 42)]
    [InlineData("{\"uuid\":\"64770002-0000-8000-8000-00000000002a\"}", IdReadStatus.Ok, 42)]
    [InlineData("{\"uuid\":\"64770002-0000-8000-8000-00000000002a\",\"num_id\":null}", IdReadStatus.Ok, 42)]
    [InlineData("{\"uuid\":\"not-a-uuid\"}", IdReadStatus.NotConvertible, 0)]
    [InlineData("{\"uuid\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}", IdReadStatus.Unknown, ManagerIds.NoSuchEntity)]
    [InlineData("{\"uuid\":\"64770003-0000-8000-8000-00000000002a\"}", IdReadStatus.Unknown, ManagerIds.NoSuchEntity)]
    [InlineData("{\"id\":0}", IdReadStatus.NotConvertible, 0)]
    [InlineData("{\"id\":\"42\"}", IdReadStatus.BadShape, 0)]
    [InlineData("{\"num_id\":42}", IdReadStatus.BadShape, 0)]
    [InlineData("\"42\"", IdReadStatus.BadShape, 0)]
    public void Newer_ids_are_uuid_or_id_objects(string json, IdReadStatus status, long number)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(status, ManagerIds.ReadNewer(EntityKind.Account, doc.RootElement, out var n));
        Assert.Equal(number, n);
    }
}

public sealed class OutboxTests
{
    [Fact]
    public async Task Prices_of_a_slow_reader_are_conflated_per_instrument()
    {
        var outbox = new OutboundQueue(10, 4_096);
        for (var i = 0; i < 1000; i++)
        {
            outbox.EnqueueQuote("EURUSD", [(byte)i]);
            outbox.EnqueueQuote("GBPUSD", [(byte)(i + 1)]);
        }
        Assert.Equal(2, outbox.QueuedQuotes);
        // The latest of each instrument, in the order the instruments first waited.
        var written = await DrainAsync(outbox);
        Assert.Equal([999 % 256, 1000 % 256], written.Select(b => (int)b));
    }

    [Fact]
    public async Task Replies_are_never_dropped_an_overflowing_reader_is_cut_off()
    {
        var outbox = new OutboundQueue(3, 4_096);
        Assert.True(outbox.EnqueueFrame([1]));
        Assert.True(outbox.EnqueueFrame([2]));
        Assert.True(outbox.EnqueueFrame([3]));
        Assert.False(outbox.EnqueueFrame([4]));
        Assert.True(outbox.IsCompleted);
        Assert.Contains("reader too slow", outbox.OverflowReason);
        Assert.Equal([1, 2, 3], (await DrainAsync(outbox)).Select(b => (int)b));
    }

    private static async Task<byte[]> DrainAsync(OutboundQueue queue)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        queue.Complete();
        await queue.RunWriterAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        return System.Buffers.BuffersExtensions.ToArray(read.Buffer);
    }

    [Fact]
    public void Frames_are_compact_single_lines_ending_in_crlf()
    {
        var frame = Frames.SystemError("a\nb", "unexpected");
        var text = System.Text.Encoding.UTF8.GetString(frame);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Count(c => c == '\n'));
        Assert.Contains("\"message_response_id\":\"a\\nb\"", text, StringComparison.Ordinal);
    }
}
