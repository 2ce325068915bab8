using System.Buffers;

namespace Dealwire.Client.Protocol;

/// <summary>Splits the inbound byte stream into messages: one JSON text per line ending in <c>\r\n</c>.</summary>
internal static class LineFraming
{
    /// <summary>
    /// Takes the next complete line (without its terminator) off <paramref name="buffer"/>. A bare <c>\n</c> is
    /// accepted as a terminator too, so a server that forgets the CR is still readable.
    /// </summary>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (!line.IsEmpty && EndsWithCarriageReturn(line)) line = line.Slice(0, line.Length - 1);
        return true;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment) return line.FirstSpan[^1] == (byte)'\r';
        return line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
    }

    /// <summary>True when the line holds only whitespace (clients ignore empty lines).</summary>
    public static bool IsBlank(in ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
            }
        }
        return true;
    }
}
