using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Gateway.Diagnostics;
using Dealwire.Gateway.Framing;
using Dealwire.Gateway.Limits;
using Dealwire.Gateway.Outbound;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Transport;

/// <summary>
/// Kestrel entry point of the Manager API: frames lines off the pipe with the gateway's framer, runs them
/// through a <see cref="ManagerSession"/> (concurrently, replies in request order), and drains the
/// connection's <see cref="OutboundQueue"/> to the socket with coalesced writes. Knows nothing of the
/// protocol beyond "one JSON envelope per line", except when a connection counts as authenticated. The
/// listener's limits (connection cap, authentication and line deadlines, heartbeat, the budget for partial
/// lines, requests in flight) are enforced here.
/// </summary>
/// <remarks>
/// Connections end when the server stops: Kestrel's graceful shutdown waits for this handler to return.
/// A client that half-closes (FIN after its last request) gets the replies of every request read: reads
/// do not listen to the connection's closed token, which Kestrel fires on that FIN.
/// </remarks>
public sealed class ManagerConnectionHandler : ConnectionHandler
{
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
        var outbound = new OutboundQueue(options, GatewayProtocol.ManagerApi);
        var session = new ManagerSession(_context, outbound, connection.ConnectionId) { Remote = ReadModel.History.AuditSource.Of(connection.RemoteEndPoint) };
        _context.Hub.Register(session);
        var writer = WriteLoopAsync(connection.Transport.Output, outbound, session);
        using var deadlines = new ConnectionDeadlines(options, _context.Time, _lifetime.ApplicationStopping);
        using var partial = _partialLines.Open();
        using var tracked = GatewayMetrics.TrackConnection(GatewayProtocol.ManagerApi, deadlines);
        string reason = "client closed";
        try
        {
            reason = await ReadLoopAsync(connection, session, outbound, options, deadlines, partial);
        }
        catch (Exception ex) when (ex is ConnectionResetException or IOException)
        {
            reason = "connection reset";
        }
        finally
        {
            _context.Hub.Unregister(session);
            outbound.Complete();
            if (outbound.OverflowReason is not null) reason = outbound.OverflowReason;
            _context.Logger.LogInformation("Manager API connection {Id} ({Manager}) closed: {Reason}",
                connection.ConnectionId, session.ManagerName ?? "unauthenticated", reason);
            await ConnectionEnd.DrainAsync(connection, outbound, writer, reason);
        }
    }

    private static async Task<string> ReadLoopAsync(ConnectionContext connection, ManagerSession session, OutboundQueue outbound, ManagerApiOptions options,
        ConnectionDeadlines deadlines, PartialLineBudget.Holding partial)
    {
        var requests = new InFlightRequests(options.MaxInFlightPerConnection);
        var lines = new RequestLines(session, outbound, options, deadlines, requests);
        try
        {
            return await LineReadLoop.RunAsync(connection.Transport.Input, options.MaxLineBytes, deadlines, partial, lines);
        }
        finally
        {
            // Requests already read still run to their reply, also when the client half-closed or a limit ended
            // the connection.
            await requests.AllEndedAsync();
        }
    }

    /// <summary>One connection's requests as the gateway's read loop finds them.</summary>
    private sealed class RequestLines(ManagerSession session, OutboundQueue outbound, ManagerApiOptions options, ConnectionDeadlines deadlines,
        InFlightRequests requests) : ILineConsumer
    {
        // The heartbeat is idle time (any read resets it); the deadlines are not pushed back by traffic.
        public TimeSpan? IdleLimit => options.IdleLimit;

        public string InputEnded => "client closed";

        public ValueTask<string?> DeadlineExpiredAsync(DeadlineKind expired)
        {
            if (expired == DeadlineKind.None) return ValueTask.FromResult<string?>($"no traffic for {options.HeartbeatTimeout.TotalSeconds:0.###} s (heartbeat timeout)");
            // Auth timeout: "unauthorized" as for any request before auth_request; line timeout: the line is unusable.
            session.Send(Frames.SystemError(null, expired == DeadlineKind.Authentication ? ManagerErrors.Unauthorized : ManagerErrors.InvalidMessageFormat));
            return ValueTask.FromResult<string?>(deadlines.Describe(expired)); // logged with the close
        }

        public ValueTask<string?> OverlongAsync(bool ended)
        {
            // Answered once; the connection stays.
            session.RejectOversizedLine();
            return ValueTask.FromResult<string?>(null);
        }

        public async ValueTask<string?> LineAsync(ReadOnlySequence<byte> line)
        {
            if (LineFramer.IsBlank(line)) return null;
            await RunAsync(session, line, requests);
            if (session.IsAuthenticated) deadlines.MarkAuthenticated();
            deadlines.Arm(options.IdleLimit); // time spent waiting for earlier requests is not silence
            return session.CloseReason;
        }

        public ValueTask<string> PartialBudgetExceededAsync(string reason)
        {
            session.Send(Frames.SystemError(null, ManagerErrors.NetworkError));
            return ValueTask.FromResult(reason); // logged with the close
        }

        public string? AfterRead() => outbound.IsCompleted ? outbound.OverflowReason ?? session.CloseReason ?? "closed" : null;
    }

    /// <summary>
    /// Starts one request. Its line is copied first: the pipe reuses the memory once the loop advances, while the
    /// request may still read its fields after awaiting the engine. A request that must run alone waits for every
    /// earlier one and is awaited here; the others run beside each other, their replies released in order.
    /// </summary>
    private static async Task RunAsync(ManagerSession session, ReadOnlySequence<byte> line, InFlightRequests requests)
    {
        var bytes = PooledLine.Copy(line);
        var message = InboundMessage.Parse(new ReadOnlySequence<byte>(bytes.Memory));
        if (session.MustRunAlone(message))
        {
            try
            {
                await requests.AllEndedAsync();
                await session.HandleAsync(message);
            }
            finally
            {
                message.Dispose();
                bytes.Dispose();
            }
            return;
        }
        await requests.WaitForSlotAsync();
        var slot = session.ReplyOrder.Next();
        requests.Started(RunConcurrentAsync(session, message, bytes, slot, requests));
    }

    private static async Task RunConcurrentAsync(ManagerSession session, InboundMessage message, PooledLine bytes, ReplySlot slot,
        InFlightRequests requests)
    {
        try
        {
            await session.HandleConcurrentAsync(message, slot);
        }
        finally
        {
            message.Dispose();
            bytes.Dispose();
            requests.Finished();
        }
    }

    private static async Task WriteLoopAsync(PipeWriter output, OutboundQueue outbound, ManagerSession session)
    {
        await outbound.RunWriterAsync(output, CancellationToken.None, new PriceEnvelopeWriter(session));
        outbound.Complete();
        await output.CompleteAsync();
    }
}
