using System.Buffers;

namespace Dealwire.ServerApi.Transport;

/// <summary>Outcome of looking for the next line in the receive buffer.</summary>
internal enum FrameStatus { Line, NeedMore, TooLong }

/// <summary>
/// Splits the byte stream into lines ending in LF (a preceding CR is dropped). A line longer than
/// the limit is reported as soon as it is known, so an endless line never grows the buffer unbounded.
/// </summary>
internal static class LineFramer
{
    public static FrameStatus TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLineBytes, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return buffer.Length > maxLineBytes + 1 ? FrameStatus.TooLong : FrameStatus.NeedMore;
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
