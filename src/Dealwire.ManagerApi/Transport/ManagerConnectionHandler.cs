using System.Buffers;
using System.IO.Pipelines;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Transport;

/// <summary>
/// Kestrel entry point of the Manager API: frames lines off the pipe, hands them to a
/// <see cref="ManagerSession"/>, and drains the session's <see cref="Outbox"/> to the socket with
/// coalesced writes. Knows nothing of the protocol beyond "one JSON envelope per line".
/// </summary>
/// <remarks>Connections end when the server stops: Kestrel's graceful shutdown waits for this handler to return.</remarks>
public sealed class ManagerConnectionHandler(ManagerApiContext context, IHostApplicationLifetime lifetime) : ConnectionHandler
{
    private static readonly byte[] SeedPricePrefixTail =
        "\"message_type\":{\"server_message\":{\"success\":{\"last_prices\":{\"updated\":{\"data\":["u8.ToArray();
    private static readonly byte[] SeedPriceSuffix = "]}}}}}}\r\n"u8.ToArray();
    private static readonly byte[] NewerPricePrefixTail =
        "\"message_type\":{\"server_message\":{\"last_prices\":{\"update\":["u8.ToArray();
    private static readonly byte[] NewerPriceSuffix = "]}}}}\r\n"u8.ToArray();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var options = context.Options;
        var outbox = new Outbox(options.MaxQueuedMessages);
        var session = new ManagerSession(context, outbox, connection.ConnectionId);
        context.Hub.Register(session);
        var writer = WriteLoopAsync(connection.Transport.Output, outbox, session);
        string reason = "client closed";
        try
        {
            reason = await ReadLoopAsync(connection, session, outbox, options);
        }
        catch (ConnectionResetException)
        {
            reason = "connection reset";
        }
        catch (IOException)
        {
            reason = "connection reset";
        }
        finally
        {
            context.Hub.Unregister(session);
            outbox.Complete();
            await writer;
            if (outbox.OverflowReason is not null) reason = outbox.OverflowReason;
            context.Logger.LogInformation("Manager API connection {Id} ({Manager}) closed: {Reason}",
                connection.ConnectionId, session.ManagerName ?? "unauthenticated", reason);
            // Returning closes the socket gracefully, after what was queued has been flushed.
        }
    }

    private async Task<string> ReadLoopAsync(ConnectionContext connection, ManagerSession session, Outbox outbox, ManagerApiOptions options)
    {
        var input = connection.Transport.Input;
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping);
        var discarding = false;
        while (true)
        {
            heartbeat.CancelAfter(options.HeartbeatTimeout);
            ReadResult result;
            try
            {
                result = await input.ReadAsync(heartbeat.Token);
            }
            catch (OperationCanceledException)
            {
                return connection.ConnectionClosed.IsCancellationRequested ? "client closed"
                    : lifetime.ApplicationStopping.IsCancellationRequested ? "server shutting down"
                    : $"no traffic for {options.HeartbeatTimeoutSeconds} s (heartbeat timeout)";
            }

            var buffer = result.Buffer;
            while (true)
            {
                var newline = buffer.PositionOf((byte)'\n');
                if (newline is null)
                {
                    if (buffer.Length > options.MaxLineBytes)
                    {
                        // Too long a line: answer once, then skip bytes up to its end.
                        if (!discarding) session.RejectOversizedLine();
                        discarding = true;
                        buffer = buffer.Slice(buffer.End);
                    }
                    break;
                }
                var line = buffer.Slice(0, newline.Value);
                buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                if (discarding)
                {
                    discarding = false;
                    continue;
                }
                if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r') line = line.Slice(0, line.Length - 1);
                if (line.Length > options.MaxLineBytes)
                {
                    session.RejectOversizedLine();
                    continue;
                }
                if (IsBlank(line)) continue;
                await session.HandleLineAsync(line);
                heartbeat.CancelAfter(options.HeartbeatTimeout); // time spent in the engine is not silence
                if (session.CloseReason is not null) return session.CloseReason;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (outbox.IsCompleted) return outbox.OverflowReason ?? "closed";
            if (result.IsCompleted) return "client closed";
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
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

    private static async Task WriteLoopAsync(PipeWriter output, Outbox outbox, ManagerSession session)
    {
        var frames = new List<byte[]>();
        var prices = new List<PriceFragment>();
        try
        {
            while (true)
            {
                await outbox.WaitAsync();
                if (!outbox.Drain(frames, prices)) break;
                foreach (var frame in frames) output.Write(frame);
                if (prices.Count > 0 && session.Dialect is { } dialect) WritePrices(output, dialect, prices);
                frames.Clear();
                prices.Clear();
                var flush = await output.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled) break;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or ConnectionResetException)
        {
            // The peer went away; the read loop sees it too.
        }
        outbox.Complete();
        await output.CompleteAsync();
    }

    /// <summary>One frame for all conflated prices: the per-instrument objects were serialized once in the hub.</summary>
    private static void WritePrices(PipeWriter output, WireDialect dialect, List<PriceFragment> prices)
    {
        output.Write("{\"message_id\":\""u8);
        Span<char> id = stackalloc char[36];
        Guid.NewGuid().TryFormat(id, out _);
        Span<byte> idBytes = stackalloc byte[36];
        for (var i = 0; i < 36; i++) idBytes[i] = (byte)id[i];
        output.Write(idBytes);
        output.Write("\",\"message_response_id\":null,"u8);
        output.Write(dialect.IsSeed ? SeedPricePrefixTail : NewerPricePrefixTail);
        for (var i = 0; i < prices.Count; i++)
        {
            if (i > 0) output.Write(","u8);
            output.Write(dialect.IsSeed ? prices[i].Seed : prices[i].Newer);
        }
        output.Write(dialect.IsSeed ? SeedPriceSuffix : NewerPriceSuffix);
    }
}
