using System.Buffers;

namespace Dealwire.Gateway.Framing;

/// <summary>Outcome of looking for the next line in a receive buffer.</summary>
internal enum FrameStatus
{
    /// <summary>A complete line was taken off the buffer.</summary>
    Line,
    /// <summary>No terminator yet, and what is there is within the limit: read more.</summary>
    NeedMore,
    /// <summary>A complete line longer than the limit was taken off the buffer (the caller answers and goes on, or closes).</summary>
    TooLong,
    /// <summary>No terminator yet, but the unfinished line is already over the limit; nothing was taken off the buffer.</summary>
    TooLongPending,
}

/// <summary>
/// The one line framer of every line protocol (Server API, Manager API, the .NET client SDK): a message
/// is one line ending in LF, a preceding CR is dropped. An over-long line is reported as soon as it is
/// known, so an endless line never grows a buffer unbounded. Depends on the BCL only: the client SDK
/// compiles this same file (linked source) without taking a dependency on ASP.NET.
/// </summary>
internal static class LineFramer
{
    /// <summary>No limit: a client trusts its server's line length.</summary>
    public const int Unbounded = int.MaxValue - 1;

    public static FrameStatus TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLineBytes, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return buffer.Length > (long)maxLineBytes + 1 ? FrameStatus.TooLongPending : FrameStatus.NeedMore;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (line.Length > 0 && EndsWithCarriageReturn(line)) line = line.Slice(0, line.Length - 1);
        return line.Length > maxLineBytes ? FrameStatus.TooLong : FrameStatus.Line;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment) return line.FirstSpan[^1] == (byte)'\r';
        return line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
    }

    /// <summary>True when the line holds only spaces and tabs (clients send none, but a human with nc might).</summary>
    public static bool IsBlank(in ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return false;
            }
        }
        return true;
    }
}
