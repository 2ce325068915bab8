using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Dealwire.Testing;

/// <summary>Byte-level helpers for tests that talk to a listener below the JSON layer (bad bytes, resets, half-closes).</summary>
public static class RawWire
{
    /// <summary>The line as UTF-8, with <c>&lt;XX&gt;</c> standing for the raw byte 0xXX (to send bytes that are not UTF-8).</summary>
    public static byte[] Bytes(string line)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '<' && i + 3 < line.Length && line[i + 3] == '>'
                && byte.TryParse(line.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var raw))
            {
                bytes.Add(raw);
                i += 3;
                continue;
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(line[i].ToString()));
        }
        return bytes.ToArray();
    }

    /// <summary>Everything the server sends until it closes the connection (a reset counts as the end), as UTF-8 text.</summary>
    public static async Task<string> ReadToEndAsync(Socket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var received = new MemoryStream();
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                break; // reset: whatever arrived before it counts
            }
            if (read == 0) break;
            received.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
