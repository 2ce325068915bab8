using System.Buffers;
using System.Globalization;
using System.Text;

namespace Dealwire.Feeds.Fix;

/// <summary>Why bytes on the wire are not a FIX message.</summary>
public sealed class FixFormatException(string message) : Exception(message);

/// <summary>
/// The tag=value wire format: SOH-separated fields, <c>8=BeginString</c> then <c>9=BodyLength</c> first, and
/// <c>10=CheckSum</c> last. BodyLength counts the bytes after the SOH that ends tag 9 up to and including the SOH
/// before tag 10; CheckSum is the sum of every byte before tag 10, modulo 256, as three digits.
/// </summary>
public static class FixCodec
{
    public const byte Soh = 0x01;
    public const string BeginString = "FIX.4.4";

    /// <summary>Largest message accepted from a peer; a longer frame means the stream is not FIX.</summary>
    public const int MaxMessageBytes = 1 << 20;

    public static byte[] Encode(FixMessage message)
    {
        var body = new StringBuilder(128);
        foreach (var field in message.Fields)
        {
            body.Append(field.Key.ToString(CultureInfo.InvariantCulture)).Append('=').Append(field.Value).Append('\u0001');
        }
        var bodyBytes = Encoding.ASCII.GetByteCount(body.ToString());
        var head = $"8={BeginString}\u00019={bodyBytes.ToString(CultureInfo.InvariantCulture)}\u0001";
        var bytes = Encoding.ASCII.GetBytes(head + body);
        var sum = 0;
        foreach (var b in bytes) sum += b;
        var trailer = Encoding.ASCII.GetBytes($"10={(sum % 256).ToString("000", CultureInfo.InvariantCulture)}\u0001");
        return [.. bytes, .. trailer];
    }

    /// <summary>
    /// Reads one message from the start of <paramref name="buffer"/>. False when the buffer does not hold a whole
    /// message yet; throws <see cref="FixFormatException"/> when the bytes cannot be FIX (the session must drop the
    /// connection: framing is lost). <paramref name="consumed"/> is the message's length in bytes.
    /// </summary>
    public static bool TryDecode(ReadOnlySequence<byte> buffer, out FixMessage? message, out long consumed)
    {
        message = null;
        consumed = 0;
        // The fixed prefix "8=FIX.4.4<SOH>9=" plus at least one digit and SOH.
        Span<byte> head = stackalloc byte[32];
        var headLength = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, headLength).CopyTo(head);
        head = head[..headLength];
        var prefix = "8=FIX.4.4\u00019="u8;
        var compared = Math.Min(prefix.Length, head.Length);
        if (!head[..compared].SequenceEqual(prefix[..compared])) throw new FixFormatException("A message must start with 8=FIX.4.4 then 9=.");
        if (head.Length <= prefix.Length) return false;
        var soh = head[prefix.Length..].IndexOf(Soh);
        if (soh < 0)
        {
            if (head.Length == 32) throw new FixFormatException("BodyLength (9) has no end.");
            return false;
        }
        if (!int.TryParse(head.Slice(prefix.Length, soh), NumberStyles.None, CultureInfo.InvariantCulture, out var bodyLength)
            || bodyLength <= 0 || bodyLength > MaxMessageBytes)
        {
            throw new FixFormatException("BodyLength (9) is not a positive number within the limit.");
        }
        var bodyStart = prefix.Length + soh + 1;
        long total = bodyStart + bodyLength + 7; // "10=NNN<SOH>"
        if (buffer.Length < total) return false;

        var bytes = buffer.Slice(0, total).ToArray();
        var trailer = bytes.AsSpan(bodyStart + bodyLength);
        if (!trailer.StartsWith("10="u8) || trailer[6] != Soh) throw new FixFormatException("CheckSum (10) is not where BodyLength (9) says the body ends.");
        var sum = 0;
        for (var i = 0; i < bodyStart + bodyLength; i++) sum += bytes[i];
        if (!int.TryParse(trailer.Slice(3, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var stated) || stated != sum % 256)
        {
            throw new FixFormatException($"CheckSum (10) mismatch: computed {sum % 256:000}.");
        }

        message = new FixMessage(ParseFields(bytes.AsSpan(bodyStart, bodyLength)));
        consumed = total;
        return true;
    }

    private static List<KeyValuePair<int, string>> ParseFields(ReadOnlySpan<byte> body)
    {
        var fields = new List<KeyValuePair<int, string>>(16);
        while (!body.IsEmpty)
        {
            var end = body.IndexOf(Soh);
            if (end < 0) throw new FixFormatException("The body does not end with SOH.");
            var field = body[..end];
            var equals = field.IndexOf((byte)'=');
            if (equals <= 0 || !int.TryParse(field[..equals], NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
            {
                throw new FixFormatException($"Not a tag=value field: '{Encoding.ASCII.GetString(field)}'.");
            }
            fields.Add(new(tag, Encoding.ASCII.GetString(field[(equals + 1)..])));
            body = body[(end + 1)..];
        }
        if (fields.Count == 0 || fields[0].Key != FixTags.MsgType) throw new FixFormatException("MsgType (35) must be the third field.");
        return fields;
    }
}
