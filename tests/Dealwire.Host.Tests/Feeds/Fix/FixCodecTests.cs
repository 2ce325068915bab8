using System.Buffers;
using System.Text;
using Dealwire.Feeds.Fix;

namespace Dealwire.Host.Tests.Feeds.Fix;

public sealed class FixCodecTests
{
    private static ReadOnlySequence<byte> Wire(string text) => new(Encoding.ASCII.GetBytes(text.Replace('|', '\u0001')));

    [Fact]
    public void Encoding_writes_begin_string_body_length_and_checksum_as_the_specification_counts_them()
    {
        var bytes = FixCodec.Encode(new FixMessage("0").Add(FixTags.MsgSeqNum, 2));
        var text = Encoding.ASCII.GetString(bytes).Replace('\u0001', '|');
        // Body "35=0|34=2|" is 10 bytes; the checksum is the byte sum of everything before "10=" modulo 256.
        Assert.StartsWith("8=FIX.4.4|9=10|35=0|34=2|10=", text);
        var sum = bytes.Take(bytes.Length - 7).Sum(b => b) % 256;
        Assert.EndsWith($"10={sum:000}|", text);
    }

    [Fact]
    public void A_message_decodes_back_to_its_fields_in_order()
    {
        var message = new FixMessage("W").Add(FixTags.Symbol, "EUR/USD").Add(FixTags.MdEntryType, "0").Add(FixTags.MdEntryType, "1");
        var bytes = FixCodec.Encode(message);
        Assert.True(FixCodec.TryDecode(new ReadOnlySequence<byte>(bytes), out var decoded, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal("35=W|55=EUR/USD|269=0|269=1", decoded!.ToString());
    }

    [Fact]
    public void A_partial_message_waits_for_more_bytes()
    {
        var bytes = FixCodec.Encode(new FixMessage("0"));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(FixCodec.TryDecode(new ReadOnlySequence<byte>(bytes, 0, length), out _, out _));
        }
    }

    [Fact]
    public void Two_messages_in_one_read_decode_one_after_the_other()
    {
        var bytes = FixCodec.Encode(new FixMessage("0")).Concat(FixCodec.Encode(new FixMessage("1").Add(FixTags.TestReqId, "t"))).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(FixCodec.TryDecode(buffer, out var first, out var consumed));
        Assert.True(FixCodec.TryDecode(buffer.Slice(consumed), out var second, out _));
        Assert.Equal(("0", "1"), (first!.MsgType, second!.MsgType));
    }

    [Theory]
    [InlineData("8=FIX.4.2|9=5|35=0|10=000|", "must start with 8=FIX.4.4")]
    [InlineData("8=FIX.4.4|9=x|35=0|10=000|", "BodyLength")]
    [InlineData("8=FIX.4.4|9=5|35=0|10=000|", "CheckSum (10) mismatch")]
    [InlineData("8=FIX.4.4|9=4|35=0|10=000|", "CheckSum (10) is not where")]
    public void Bytes_that_cannot_be_fix_are_refused_with_the_reason(string text, string reason)
    {
        var ex = Assert.Throws<FixFormatException>(() => FixCodec.TryDecode(Wire(text), out _, out _));
        Assert.Contains(reason, ex.Message);
    }
}
