using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Gateway.Diagnostics;
using Dealwire.Gateway.Limits;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Transport;

/// <summary>
/// Kestrel entry point of the Manager API: frames lines off the pipe, hands them to a
/// <see cref="ManagerSession"/>, and drains the session's <see cref="Outbox"/> to the socket with
/// coalesced writes. Knows nothing of the protocol beyond "one JSON envelope per line", except when a
/// connection counts as authenticated. The listener's limits (connection cap, authentication and line
/// deadlines, the budget for partial lines) are enforced here.
/// </summary>
/// <remarks>
/// Connections end when the server stops: Kestrel's graceful shutdown waits for this handler to return.
/// A client that half-closes (FIN after its last request) gets the replies of every request read: reads
/// do not listen to the connection's closed token, which Kestrel fires on that FIN.
/// </remarks>
public sealed class ManagerConnectionHandler : ConnectionHandler
{
    private static readonly byte[] SeedPricePrefixTail =
        "\"message_type\":{\"server_message\":{\"success\":{\"last_prices\":{\"updated\":{\"data\":["u8.ToArray();
    private static readonly byte[] SeedPriceSuffix = "]}}}}}}\r\n"u8.ToArray();
    private static readonly byte[] NewerPricePrefixTail =
        "\"message_type\":{\"server_message\":{\"last_prices\":{\"update\":["u8.ToArray();
    private static readonly byte[] NewerPriceSuffix = "]}}}}\r\n"u8.ToArray();

    private readonly ManagerApiContext _context;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ConnectionLimiter _connections;
    private readonly PartialLineBudget _partialLines;

    public ManagerConnectionHandler(ManagerApiContext context, IHostApplicationLifetime lifetime)
    {
        _context = context;
        _lifetime = lifetime;
        _connections = new ConnectionLimiter(context.Options.MaxConnections);
        _partialLines = new PartialLineBudget(context.Options.MaxPartialLineBytes);
    }

    /// <summary>The listener's budget for partially received lines (monitoring and tests).</summary>
    public PartialLineBudget PartialLines => _partialLines;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        await _connections.ServeAsync(async () =>
        {
            GatewayMetrics.ConnectionRefused(GatewayProtocol.ManagerApi);
            _context.Logger.LogWarning("Manager API connection {Id} from {Remote} refused: {Max} connections open",
                connection.ConnectionId, connection.RemoteEndPoint, _context.Options.MaxConnections);
            await connection.Transport.Output.WriteAsync(Frames.SystemError(null, ManagerErrors.NetworkError));
        }, () => ServeAsync(connection));
    }

    private async Task ServeAsync(ConnectionContext connection)
    {
        var options = _context.Options;
        var outbox = new Outbox(options.MaxPendingReplyBytes);
        var session = new ManagerSession(_context, outbox, connection.ConnectionId);
        _context.Hub.Register(session);
        var writer = WriteLoopAsync(connection.Transport.Output, outbox, session);
        using var deadlines = new ConnectionDeadlines(options, _context.Time, _lifetime.ApplicationStopping);
        using var partial = _partialLines.Open();
        using var tracked = GatewayMetrics.TrackConnection(GatewayProtocol.ManagerApi, deadlines);
        string reason = "client closed";
        try
        {
            reason = await ReadLoopAsync(connection, session, outbox, options, deadlines, partial);
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
            _context.Hub.Unregister(session);
            outbox.Complete();
            if (outbox.OverflowReason is not null) reason = outbox.OverflowReason;
            _context.Logger.LogInformation("Manager API connection {Id} ({Manager}) closed: {Reason}",
                connection.ConnectionId, session.ManagerName ?? "unauthenticated", reason);
            // A reader too slow for its outbox is cut off at once (its writer may be stuck on a full socket);
            // otherwise what was queued gets a few seconds to reach a client that still reads.
            if (outbox.OverflowReason is not null) connection.Abort(new ConnectionAbortedException(reason));
            try
            {
                await writer.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                connection.Abort(new ConnectionAbortedException("the last replies could not be written in time"));
            }
            // Returning closes the socket gracefully, after what was queued has been flushed.
        }
    }

    private async Task<string> ReadLoopAsync(ConnectionContext connection, ManagerSession session, Outbox outbox, ManagerApiOptions options,
        ConnectionDeadlines deadlines, PartialLineBudget.Holding partial)
    {
        var input = connection.Transport.Input;
        var discarding = false;
        while (true)
        {
            // The heartbeat is idle time (any read resets it); the deadlines are not pushed back by traffic.
            deadlines.Arm(options.HeartbeatTimeout);
            ReadResult result;
            try
            {
                result = await input.ReadAsync(deadlines.Token);
            }
            catch (OperationCanceledException)
            {
                if (deadlines.IsStopping) return "server shutting down";
                var expired = deadlines.Expired();
                if (expired == DeadlineKind.None) return $"no traffic for {options.HeartbeatTimeoutSeconds} s (heartbeat timeout)";
                var reason = deadlines.Describe(expired);
                // Auth timeout: "unauthorized" as for any request before auth_request; line timeout: the line is unusable.
                session.Send(Frames.SystemError(null, expired == DeadlineKind.Authentication ? ManagerErrors.Unauthorized : ManagerErrors.InvalidMessageFormat));
                return reason; // logged with the close
            }

            var buffer = result.Buffer;
            var completedLine = false;
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
                completedLine = true;
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
                if (session.IsAuthenticated) deadlines.MarkAuthenticated();
                deadlines.Arm(options.HeartbeatTimeout); // time spent in the engine is not silence
                if (session.CloseReason is not null) return session.CloseReason;
            }

            // What is left is the start of a line: it counts against the listener's budget and its deadline.
            if (!partial.TryHold(buffer.Length))
            {
                input.AdvanceTo(result.Buffer.End);
                var reason = $"partially received lines of all connections would exceed {options.MaxPartialLineBytes} bytes (MaxPartialLineBytes)";
                session.Send(Frames.SystemError(null, ManagerErrors.NetworkError));
                return reason; // logged with the close
            }
            // A line being discarded still has to end in time, though its bytes are no longer held.
            deadlines.LineProgress(discarding ? Math.Max(1, buffer.Length) : buffer.Length, completedLine);
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
                long bytes = 0;
                foreach (var frame in frames)
                {
                    output.Write(frame);
                    bytes += frame.Length;
                }
                if (prices.Count > 0 && session.Dialect is { } dialect) WritePrices(output, dialect, prices);
                GatewayMetrics.Sent(GatewayProtocol.ManagerApi, frames.Count + (prices.Count > 0 ? 1 : 0), output);
                frames.Clear();
                prices.Clear();
                var flush = await output.FlushAsync();
                outbox.Written(bytes);
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
