using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Baselines;

/// <summary>
/// The round-trip ceiling: parses every command line as JSON (all of it, like a real gateway must) and
/// answers a fixed reply of the shape the command's Dealwire reply has, with the request's extID.
/// Replies to one received batch go out in one send.
/// </summary>
public sealed class EchoServer(int port)
{
    private const string TradeRecord = "{\"order\":1000001,\"login\":1000,\"cmd\":0,\"state\":0,\"symbol\":\"EURUSD\",\"volume\":1,\"open_time\":1734312345,\"close_time\":0,\"open_price\":1.10002,\"close_price\":1.10000,\"sl\":0,\"tp\":0,\"profit\":0,\"commission\":0,\"storage\":0,\"comment\":\"\",\"digits\":5,\"expiration\":0}";

    public Task ListenAsync(CancellationToken cancellationToken) => Loopback.AcceptAsync(port, ServeAsync, cancellationToken);

    private static async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var replies = new MemoryStream(1 << 16);
        var kept = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(kept), SocketFlags.None, cancellationToken);
                if (n == 0) return;
                var span = buffer.AsSpan(0, kept + n);
                int newline;
                while ((newline = span.IndexOf((byte)'\n')) >= 0)
                {
                    replies.Write(ReplyFor(span[..newline]));
                    span = span[(newline + 1)..];
                }
                span.CopyTo(buffer);
                kept = span.Length;
                if (replies.Length > 0)
                {
                    await socket.SendAsync(replies.GetBuffer().AsMemory(0, (int)replies.Length), SocketFlags.None, cancellationToken);
                    replies.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    public static byte[] ReplyFor(string line) => ReplyFor(Encoding.UTF8.GetBytes(line));

    /// <summary>Parses the request envelope and builds the fixed reply for its command.</summary>
    public static byte[] ReplyFor(ReadOnlySpan<byte> line)
    {
        string? command = null, extId = null;
        var reader = new Utf8JsonReader(line.TrimEnd((byte)'\r'));
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            if (reader.ValueTextEquals("command"u8)) { reader.Read(); command = reader.GetString(); }
            else if (reader.ValueTextEquals("extID"u8)) { reader.Read(); extId = reader.GetString(); }
        }
        var data = command switch
        {
            "MngOpenTradeSync" or "MngCloseTradeSync" => TradeRecord,
            "BalanceIn" => "{\"accepted\":true,\"order\":1000002,\"state\":10,\"login\":1000,\"cmd\":6,\"amount\":1}",
            _ => "\"OK\"",
        };
        return Encoding.UTF8.GetBytes($"{{\"extID\":\"{extId}\",\"status\":200,\"data\":{data}}}\r\n");
    }
}
