using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Dealwire.Feeds.Fix;

namespace Dealwire.Host.Tests.Feeds.Fix;

/// <summary>
/// The far end of a loopback connection, driven by a test line by line: reads what the session sends and writes
/// hand-made messages with whatever sequence numbers the test wants (gaps, duplicates, resets).
/// </summary>
internal sealed class ScriptedCounterparty : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private TcpClient? _accepted;
    private PipeReader? _reader;
    private Stream? _stream;

    public ScriptedCounterparty() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The client side stream the session under test runs on, connected to this counterparty.</summary>
    public async Task<Stream> ConnectAsync()
    {
        var client = new TcpClient { NoDelay = true };
        var accept = _listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        _accepted = await accept;
        _stream = _accepted.GetStream();
        _reader = PipeReader.Create(_stream);
        return client.GetStream();
    }

    public async Task<FixMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _reader!.ReadAsync(cts.Token);
            if (FixCodec.TryDecode(result.Buffer, out var message, out var consumed))
            {
                _reader.AdvanceTo(result.Buffer.GetPosition(consumed));
                return message!;
            }
            if (result.IsCompleted) throw new EndOfStreamException("the session closed the connection");
            _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>The next message of <paramref name="type"/>, skipping others (heartbeats).</summary>
    public async Task<FixMessage> ReceiveAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.MsgType == type) return message;
        }
    }

    public async Task SendAsync(FixMessage message, long seq, bool possDup = false)
    {
        message.Set(FixTags.SenderCompId, "LP").Set(FixTags.TargetCompId, "DW").Set(FixTags.MsgSeqNum, seq)
            .Set(FixTags.SendingTime, "20261204-12:00:00.000");
        if (possDup) message.Set(FixTags.PossDupFlag, "Y");
        await _stream!.WriteAsync(FixCodec.Encode(message));
    }

    public async Task<bool> IsClosedAsync()
    {
        try
        {
            while (true) await ReceiveAsync();
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _accepted?.Dispose();
        _listener.Stop();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
