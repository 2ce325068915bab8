using System.Buffers;
using System.Text;
using Dealwire.Gateway.Framing;

namespace Dealwire.ServerApi.Tests.GatewayCore;

/// <summary>The one line framer of the Server API, the Manager API and the client SDK.</summary>
public sealed class LineFramerTests
{
    [Fact]
    public void Lines_end_in_LF_with_or_without_CR_and_the_rest_waits()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("a\r\nb\nc"));
        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref buffer, 10, out var first));
        Assert.Equal("a", Encoding.ASCII.GetString(first.ToArray()));
        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref buffer, 10, out var second));
        Assert.Equal("b", Encoding.ASCII.GetString(second.ToArray()));
        Assert.Equal(FrameStatus.NeedMore, LineFramer.TryReadLine(ref buffer, 10, out _));
        Assert.Equal("c", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void An_over_long_line_is_reported_complete_and_taken_or_pending_and_left()
    {
        var complete = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("abcdef\r\nok\r\n"));
        Assert.Equal(FrameStatus.TooLong, LineFramer.TryReadLine(ref complete, 5, out _));
        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref complete, 5, out var next));
        Assert.Equal("ok", Encoding.ASCII.GetString(next.ToArray()));

        var pending = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("abcdefgh"));
        Assert.Equal(FrameStatus.TooLongPending, LineFramer.TryReadLine(ref pending, 5, out _));
        Assert.Equal(8, pending.Length);
        // Exactly the limit plus a CR that may still be followed by LF: not yet too long.
        var edge = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("abcde\r"));
        Assert.Equal(FrameStatus.NeedMore, LineFramer.TryReadLine(ref edge, 5, out _));
    }

    [Theory]
    [InlineData(" \t ", true)]
    [InlineData("", true)]
    [InlineData(" x ", false)]
    public void Blank_lines_hold_only_spaces_and_tabs(string text, bool blank) =>
        Assert.Equal(blank, LineFramer.IsBlank(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text))));
}
