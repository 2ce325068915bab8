using System.Net;
using System.Net.Sockets;
using Dealwire.Cluster.Gateway;
using Xunit;

namespace Dealwire.Cluster.Tests;

/// <summary>The gateway link's framing, byte for byte, and what a reader does with a frame that breaks it.</summary>
public sealed class GatewayLinkTests
{
    [Fact]
    public async Task A_frame_is_its_body_length_its_kind_and_its_body()
    {
        var (link, raw) = await PairAsync();
        await using (link)
        using (raw)
        {
            await link.WriteAsync(LinkKind.Status, w =>
            {
                w.Write(5L);
                w.Write("a");
                w.Write(true);
            }, CancellationToken.None);
            var bytes = new byte[4 + 1 + 8 + 2 + 1];
            await raw.GetStream().ReadExactlyAsync(bytes);
            Assert.Equal([11, 0, 0, 0, (byte)LinkKind.Status, 5, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 1], bytes);
        }
    }

    [Fact]
    public async Task A_payload_frame_is_the_bytes_a_field_by_field_frame_would_be_and_messages_read_back_as_written()
    {
        var (link, raw) = await PairAsync();
        await using (link)
        using (raw)
        {
            await using var other = new LinkConnection(raw);
            byte[] payload = [1, 2, 3, 250];
            await link.WriteAsync(LinkKind.Forward, w =>
            {
                w.Write(42L);
                w.Write(payload);
            }, CancellationToken.None);
            var (_, written) = (await other.ReadAsync(CancellationToken.None))!.Value;
            Assert.Equal(LinkConnection.PayloadFrame(LinkKind.Forward, 42, payload)[5..], written);
            var (id, forwarded) = LinkConnection.ReadForward(written);
            Assert.Equal(42L, id);
            Assert.Equal(payload, forwarded.ToArray());

            await link.WriteStatusAsync(new LinkStatus(9, null, Leads: false), CancellationToken.None);
            Assert.Equal(new LinkStatus(9, null, false), LinkConnection.ReadStatus((await other.ReadAsync(CancellationToken.None))!.Value.Body));
            var result = new LinkResult(Engine.Model.ReturnCode.NotLeader, 7, "leader is b", "b");
            await link.WriteResultAsync(3, result, CancellationToken.None);
            Assert.Equal((3L, result), LinkConnection.ReadResult((await other.ReadAsync(CancellationToken.None))!.Value.Body));
        }
    }

    [Fact]
    public async Task Frames_arrive_whole_and_in_order()
    {
        var (link, raw) = await PairAsync();
        await using (link)
        using (raw)
        {
            await using var other = new LinkConnection(raw);
            var payload = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => link.WriteAsync(LinkKind.Forward, w =>
            {
                w.Write((long)i);
                w.Write(payload);
            }, CancellationToken.None)));
            var seen = new HashSet<long>();
            for (var i = 0; i < 20; i++)
            {
                var (kind, body) = (await other.ReadAsync(CancellationToken.None))!.Value;
                Assert.Equal(LinkKind.Forward, kind);
                Assert.Equal(8 + payload.Length, body.Length);
                using var reader = LinkConnection.Reader(body);
                Assert.True(seen.Add(reader.ReadInt64()));
                Assert.Equal(payload, reader.ReadBytes(payload.Length));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 3 }, typeof(InvalidDataException))] // 2 GB body
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 3 }, typeof(InvalidDataException))] // negative length
    [InlineData(new byte[] { 1, 0, 0, 0, 99, 0 }, typeof(InvalidDataException))] // unknown kind
    [InlineData(new byte[] { 1, 0, 0 }, typeof(EndOfStreamException))] // closed inside the header
    public async Task A_broken_frame_is_refused_not_read(byte[] bytes, Type error)
    {
        var (link, raw) = await PairAsync();
        await using (link)
        using (raw)
        {
            await raw.GetStream().WriteAsync(bytes);
            raw.Client.Shutdown(SocketShutdown.Send);
            var thrown = await Record.ExceptionAsync(() => link.ReadAsync(CancellationToken.None));
            Assert.IsType(error, thrown);
        }
    }

    [Fact]
    public async Task A_clean_close_between_frames_is_the_end_of_the_link()
    {
        var (link, raw) = await PairAsync();
        await using (link)
        {
            raw.Dispose();
            Assert.Null(await link.ReadAsync(CancellationToken.None));
        }
    }

    /// <summary>A link on one end of a loopback connection and the raw socket on the other.</summary>
    private static async Task<(LinkConnection Link, TcpClient Raw)> PairAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var accept = listener.AcceptTcpClientAsync();
            var link = await LinkConnection.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, CancellationToken.None);
            return (link, await accept);
        }
        finally
        {
            listener.Stop();
        }
    }
}
