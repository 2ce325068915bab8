using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Gateway.Diagnostics;
using Dealwire.Gateway.Framing;
using Dealwire.Gateway.Limits;
using Dealwire.Gateway.Outbound;
using Dealwire.TraderSocket.Protocol;
using Dealwire.TraderSocket.Session;
using Dealwire.TraderSocket.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.TraderSocket.Transport;

/// <summary>
/// Kestrel entry point of one JSON-socket endpoint: frames lines with the gateway's framer, answers the one
/// <c>auth_request</c>, then starts the endpoint's push stream and the server's <c>Ping</c>s; drains the connection's
/// <see cref="OutboundQueue"/> with coalesced writes. The gateway's limits apply: connection cap, authentication and
/// line deadlines, the listener's budget for partial lines, the byte bound of the outbound queue.
/// </summary>
/// <remarks>
/// Authentication failures end the connection after the <c>auth_result</c> (the protocol has no error frame and
/// nothing else to say): <c>unauthorized</c> for a key that is not valid and for any message before authentication,
/// <c>auth_failed</c> for a request that cannot be read (not JSON, no <c>secret_key</c>, a line over
/// <c>MaxLineBytes</c>). After authentication only <c>Pong</c> (and a client <c>Ping</c>, answered) mean anything;
/// other lines are logged as client faults and ignored.
/// </remarks>
public abstract class TraderConnectionHandler : ConnectionHandler
{
    private readonly TraderSocketContext _context;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ConnectionLimiter _connections;
    private readonly PartialLineBudget _partialLines;
    private readonly ClientFaultLog _faults;

    protected TraderConnectionHandler(TraderSocketContext context, IHostApplicationLifetime lifetime)
    {
        _context = context;
        _lifetime = lifetime;
        _connections = new ConnectionLimiter(context.Options.MaxConnections);
        _partialLines = new PartialLineBudget(context.Options.MaxPartialLineBytes);
        _faults = new ClientFaultLog(context.Logger, context.Time);
    }

    protected abstract TraderEndpoint Endpoint { get; }

    public override Task OnConnectedAsync(ConnectionContext connection) =>
        _connections.ServeAsync(async () =>
        {
            _context.Logger.LogWarning("JSON socket {Endpoint} connection {Id} from {Remote} refused: {Max} connections open",
                Endpoint, connection.ConnectionId, connection.RemoteEndPoint, _context.Options.MaxConnections);
            await connection.Transport.Output.WriteAsync(ServerFrames.AuthResult("auth_failed", null));
        }, () => ServeAsync(connection));

    private async Task ServeAsync(ConnectionContext connection)
    {
        var options = _context.Options;
        var input = connection.Transport.Input;
        var outbound = new OutboundQueue(options);
        // Whoever ends the connection (fan-out on overflow, heartbeat, key watch) wakes the read loop.
        var session = new TraderSession(Endpoint, outbound, connection.ConnectionId, input.CancelPendingRead);
        _context.Hub.Register(session);
        var writer = WriteLoopAsync(connection.Transport.Output, outbound);
        using var heartbeatStop = new CancellationTokenSource();
        Task heartbeat = Task.CompletedTask;
        using var deadlines = new ConnectionDeadlines(options, _context.Time, _lifetime.ApplicationStopping);
        using var partial = _partialLines.Open();
        string reason = "client closed";
        try
        {
            reason = await ReadLoopAsync(connection, session, deadlines, partial, () => heartbeat = HeartbeatAsync(session, heartbeatStop.Token));
        }
        catch (Exception ex) when (ex is ConnectionResetException or IOException)
        {
            reason = "connection reset";
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            _context.Hub.Unregister(session);
            outbound.Complete();
            if (outbound.OverflowReason is not null) reason = outbound.OverflowReason;
            if (Endpoint == TraderEndpoint.Prices && session.IsAuthenticated)
            {
                _context.Logger.LogInformation("JSON socket {Endpoint} connection {Id} ({Integration}) closed: {Reason} ({Conflated} quotes conflated for a slow reader)",
                    Endpoint, connection.ConnectionId, session.Key?.Name, reason, outbound.QuotesConflated);
            }
            else
            {
                _context.Logger.LogInformation("JSON socket {Endpoint} connection {Id} ({Integration}) closed: {Reason}",
                    Endpoint, connection.ConnectionId, session.Key?.Name ?? "unauthenticated", reason);
            }
            // What was queued (an auth_result, say) gets a few seconds to reach the client.
            await ConnectionEnd.DrainAsync(connection, outbound, writer, reason);
        }
    }

    private Task<string> ReadLoopAsync(ConnectionContext connection, TraderSession session, ConnectionDeadlines deadlines,
        PartialLineBudget.Holding partial, Action startHeartbeat) =>
        LineReadLoop.RunAsync(connection.Transport.Input, _context.Options.MaxLineBytes, deadlines, partial,
            new ClientLines(this, connection, session, deadlines, startHeartbeat));

    /// <summary>One connection's messages as the gateway's read loop finds them.</summary>
    private sealed class ClientLines(TraderConnectionHandler handler, ConnectionContext connection, TraderSession session, ConnectionDeadlines deadlines,
        Action startHeartbeat) : ILineConsumer
    {
        // The protocol's own heartbeat is the server's Ping; silence alone ends nothing.
        public TimeSpan? IdleLimit => null;

        public string InputEnded => "client closed";

        public ValueTask<string?> DeadlineExpiredAsync(DeadlineKind expired)
        {
            if (expired == DeadlineKind.Authentication) session.Send(ServerFrames.AuthResult("unauthorized", null));
            return ValueTask.FromResult<string?>(deadlines.Describe(expired));
        }

        public ValueTask<string?> OverlongAsync(bool ended)
        {
            var limit = handler._context.Options.MaxLineBytes;
            if (!session.IsAuthenticated) return ValueTask.FromResult<string?>(Refuse(session, "auth_failed", $"a line over {limit} bytes (MaxLineBytes) before authentication"));
            // After authentication nothing a client sends matters but Pong: an over-long line is skipped, reported while it arrives.
            if (!ended) handler._faults.Report(connection.ConnectionId, connection.RemoteEndPoint?.ToString(), $"a line over {limit} bytes, skipped");
            return ValueTask.FromResult<string?>(null);
        }

        public ValueTask<string?> LineAsync(ReadOnlySequence<byte> line) =>
            ValueTask.FromResult(LineFramer.IsBlank(line) ? null : handler.Handle(connection, session, Parse(line), deadlines, startHeartbeat));

        public ValueTask<string> PartialBudgetExceededAsync(string reason) => ValueTask.FromResult(reason);

        public string? AfterRead() => session.CloseReason;
    }

    private static ClientMessage Parse(ReadOnlySequence<byte> line)
    {
        // Client lines are short (auth_request, Pong): parsed at once, before the pipe reuses the memory.
        if (line.IsSingleSegment) return ClientMessage.Parse(line.FirstSpan);
        var copy = ArrayPool<byte>.Shared.Rent((int)line.Length);
        try
        {
            line.CopyTo(copy);
            return ClientMessage.Parse(copy.AsSpan(0, (int)line.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>One client message; returns a reason when the connection must close.</summary>
    private string? Handle(ConnectionContext connection, TraderSession session, ClientMessage message, ConnectionDeadlines deadlines, Action startHeartbeat)
    {
        if (!session.IsAuthenticated)
        {
            switch (message.Kind)
            {
                case ClientMessageKind.Malformed:
                    return Refuse(session, "auth_failed", "the first message is not a readable auth_request");
                case ClientMessageKind.AuthRequest:
                    if (_context.Keys.Find(message.SecretKey) is not { } key) return Refuse(session, "unauthorized", "wrong secret key");
                    session.Authenticate(key);
                    deadlines.MarkAuthenticated();
                    _context.Logger.LogInformation("JSON socket {Endpoint} connection {Id} authenticated as integration {Integration} (groups '{Mask}', session {Session})",
                        Endpoint, connection.ConnectionId, key.Name, key.GroupMask, session.SessionId);
                    var accepted = ServerFrames.AuthResult("success", session.SessionId);
                    if (Endpoint == TraderEndpoint.Trading)
                    {
                        _context.Hub.OpenTrading(session, () => session.Send(accepted));
                    }
                    else
                    {
                        session.Send(accepted);
                        _context.Hub.OpenPrices(session);
                    }
                    startHeartbeat();
                    return null;
                default:
                    return Refuse(session, "unauthorized", $"{message.Kind} message before auth_request");
            }
        }
        switch (message.Kind)
        {
            case ClientMessageKind.Pong:
                session.PongReceived();
                break;
            case ClientMessageKind.Ping:
                session.Send(ServerFrames.Pong());
                break;
            default:
                _faults.Report(connection.ConnectionId, connection.RemoteEndPoint?.ToString(), $"{message.Kind} message after authentication, ignored");
                break;
        }
        return null;
    }

    private static string Refuse(TraderSession session, string result, string reason)
    {
        session.Send(ServerFrames.AuthResult(result, null));
        return reason;
    }

    /// <summary>
    /// The server's heartbeat: a <c>Ping</c> every <see cref="TraderSocketOptions.PingInterval"/>; when one falls due
    /// with <see cref="TraderSocketOptions.MaxMissedPongs"/> pings unanswered, the connection is closed instead.
    /// </summary>
    private async Task HeartbeatAsync(TraderSession session, CancellationToken stop)
    {
        var options = _context.Options;
        using var timer = new PeriodicTimer(options.PingInterval, _context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (session.UnansweredPings >= options.MaxMissedPongs)
                {
                    session.Close($"{session.UnansweredPings} Pings without a Pong (a Ping every {options.PingInterval.TotalSeconds:0.###} s, MaxMissedPongs {options.MaxMissedPongs})");
                    return;
                }
                session.SendPing();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WriteLoopAsync(PipeWriter output, OutboundQueue outbound)
    {
        await outbound.RunWriterAsync(output, CancellationToken.None);
        outbound.Complete();
        await output.CompleteAsync();
    }
}

/// <summary>The prices endpoint (<c>TraderSocket:PricesPort</c>).</summary>
public sealed class PricesConnectionHandler(TraderSocketContext context, IHostApplicationLifetime lifetime) : TraderConnectionHandler(context, lifetime)
{
    protected override TraderEndpoint Endpoint => TraderEndpoint.Prices;
}

/// <summary>The trading-operations endpoint (<c>TraderSocket:TradingPort</c>).</summary>
public sealed class TradingConnectionHandler(TraderSocketContext context, IHostApplicationLifetime lifetime) : TraderConnectionHandler(context, lifetime)
{
    protected override TraderEndpoint Endpoint => TraderEndpoint.Trading;
}
