using System.IO.Pipelines;
using Dealwire.Gateway.Diagnostics;
using Dealwire.Gateway.Framing;
using Dealwire.Gateway.Limits;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.ServerApi.Transport;

/// <summary>
/// The Server API over one Kestrel connection: reads request lines, runs them concurrently (replies
/// are matched by extID, so they may leave out of order), and writes replies, events and quotes through
/// the session's bounded outbound queue. The listener's limits (connection cap, authentication and
/// line deadlines, the budget for partial lines) are enforced here, before any line reaches the dispatcher.
/// </summary>
/// <remarks>
/// Connections end when the server stops: Kestrel's graceful shutdown waits for this handler to return.
/// A client that half-closes (FIN after its last command) still gets the replies of every command read:
/// the connection's closed token fires on that FIN, so neither the writer nor the reads listen to it.
/// </remarks>
internal sealed class ServerApiConnectionHandler : ConnectionHandler
{
    /// <summary>408: no traffic within <c>HeartbeatTimeout</c> (only when configured; the protocol has no heartbeat of its own).</summary>
    internal const string IdleTimeoutError = "RET_IDLE_TIMEOUT";

    // Timers may fire a little before the timestamp clock agrees the time has come.
    private static readonly TimeSpan IdleTolerance = TimeSpan.FromMilliseconds(10);

    private readonly ServerApiContext _server;
    private readonly Dispatcher _dispatcher;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly ConnectionLimiter _connections;
    private readonly PartialLineBudget _partialLines;
    private readonly ClientFaultLog _faults;

    public ServerApiConnectionHandler(ServerApiContext server, Dispatcher dispatcher, IHostApplicationLifetime lifetime)
    {
        _server = server;
        _dispatcher = dispatcher;
        _lifetime = lifetime;
        _logger = server.Loggers.CreateLogger<ServerApiConnectionHandler>();
        _connections = new ConnectionLimiter(server.Options.MaxConnections);
        _partialLines = new PartialLineBudget(server.Options.MaxPartialLineBytes);
        _faults = new ClientFaultLog(_logger, server.Time, GatewayProtocol.ServerApi);
    }

    /// <summary>The listener's budget for partially received lines (monitoring and tests).</summary>
    public PartialLineBudget PartialLines => _partialLines;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var options = _server.Options;
        await _connections.ServeAsync(async () =>
        {
            GatewayMetrics.ConnectionRefused(GatewayProtocol.ServerApi);
            _logger.LogWarning("Server API connection from {Remote} refused: {Max} connections open", connection.RemoteEndPoint, options.MaxConnections);
            await connection.Transport.Output.WriteAsync(FrameWriter.Error(null, 503, "RET_ERR_CONNECTION", $"too many connections (limit {options.MaxConnections})"));
        }, () => ServeAsync(connection));
    }

    private async Task ServeAsync(ConnectionContext connection)
    {
        var session = new Session(connection, _server.Options, _logger);
        // The limiter above holds the cap; the registry only lists the sessions.
        _server.Sessions.TryAdd(session, int.MaxValue);
        var writer = session.Outbound.RunWriterAsync(connection.Transport.Output, CancellationToken.None);
        using var deadlines = new ConnectionDeadlines(_server.Options, _server.Time, _lifetime.ApplicationStopping);
        using var partial = _partialLines.Open();
        using var tracked = GatewayMetrics.TrackConnection(GatewayProtocol.ServerApi, deadlines);
        try
        {
            await ReadLoopAsync(session, connection.Transport.Input, deadlines, partial);
        }
        catch (ConnectionResetException)
        {
            // The peer went away; nothing to answer.
        }
        catch (OperationCanceledException) when (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The server is stopping: what is queued still goes out below.
        }
        finally
        {
            _server.Sessions.Remove(session);
            session.Outbound.Complete();
            try
            {
                // Let the last replies (and an error before a close) reach a client that still reads.
                await writer.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                session.Abort("the last replies could not be written in time");
            }
        }
    }

    private async Task ReadLoopAsync(Session session, PipeReader input, ConnectionDeadlines deadlines, PartialLineBudget.Holding partial)
    {
        var options = _server.Options;
        // UpdateConfig's antiflood/floodcontrol apply to connections opened after the change.
        var perSecond = _server.ConfigView?.CommandsPerSecond(options.CommandsPerSecond) ?? options.CommandsPerSecond;
        var limiter = new CommandRateLimiter(perSecond, _server.Time);
        // Not disposed: commands still running release it after the read loop ends.
        var inFlight = new SemaphoreSlim(options.MaxInFlightPerConnection);
        var running = new List<Task>();
        var lastTraffic = _server.Time.GetTimestamp();
        try
        {
            while (!session.IsAborted)
            {
                // The heartbeat (off unless configured: the protocol has none) is idle time; any read resets it.
                deadlines.Arm(options.IdleLimit);
                ReadResult read;
                try
                {
                    read = await input.ReadAsync(deadlines.Token);
                }
                catch (OperationCanceledException) when (!deadlines.IsStopping)
                {
                    var expired = deadlines.Expired();
                    if (expired == DeadlineKind.None)
                    {
                        // Authenticated meanwhile, unless the heartbeat is what fired.
                        if (options.IdleLimit is not { } idle || _server.Time.GetElapsedTime(lastTraffic) < idle - IdleTolerance) continue;
                        Close(session, IdleTimeoutError, 408, $"no traffic for {idle.TotalSeconds:0.###} s (heartbeat timeout)");
                        return;
                    }
                    Close(session, expired == DeadlineKind.Authentication ? LimitErrors.AuthenticationTimeout : LimitErrors.LineTimeout,
                        408, deadlines.Describe(expired));
                    return;
                }
                lastTraffic = _server.Time.GetTimestamp();
                var buffer = read.Buffer;
                var completedLine = false;
                while (true)
                {
                    var status = LineFramer.TryReadLine(ref buffer, options.MaxLineBytes, out var line);
                    if (status == FrameStatus.NeedMore) break;
                    if (status is FrameStatus.TooLong or FrameStatus.TooLongPending)
                    {
                        input.AdvanceTo(read.Buffer.End);
                        Close(session, ErrorNames.InvalidData, 400, $"line longer than {options.MaxLineBytes} bytes", $"line over {options.MaxLineBytes} bytes");
                        return;
                    }
                    completedLine = true;
                    if (LineFramer.IsBlank(line)) continue;

                    var envelope = Parse(session, line);
                    if (envelope is null) continue;
                    if (!limiter.TryTake())
                    {
                        session.Send(FrameWriter.Error(envelope.ExtId, 429, "RET_TOO_FREQUENT",
                            $"more than {perSecond} commands per second"));
                        envelope.Dispose();
                        continue;
                    }

                    await inFlight.WaitAsync(_lifetime.ApplicationStopping);
                    running.Add(RunAsync(session, envelope, inFlight, deadlines));
                    if (running.Count > 256) running.RemoveAll(t => t.IsCompleted);
                }

                // What is left is the start of a line: it counts against the listener's budget and its deadline.
                if (!partial.TryHold(buffer.Length))
                {
                    input.AdvanceTo(read.Buffer.End);
                    Close(session, LimitErrors.ServerBusy, 503,
                        $"partially received lines of all connections would exceed {options.MaxPartialLineBytes} bytes (MaxPartialLineBytes)");
                    return;
                }
                deadlines.LineProgress(buffer.Length, completedLine);
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        finally
        {
            // Commands already read still run to their reply, also when the client half-closed or a limit ended
            // the connection: a received command is answered, or (never read) not applied.
            await Task.WhenAll(running);
        }
    }

    /// <summary>Answers a limit's error frame and logs why the connection is closed; the caller then ends reading.</summary>
    private void Close(Session session, string error, int status, string reason, string? logReason = null)
    {
        session.Send(FrameWriter.Error(null, status, error, reason + "; closing the connection"));
        // Not rate-limited like other client faults: one line per connection, and an operator needs each close's reason.
        _logger.LogInformation("Server API connection {Id} from {Remote} closed: {Reason}", session.Id, session.Remote, logReason ?? reason);
    }

    private Envelope? Parse(Session session, in System.Buffers.ReadOnlySequence<byte> line)
    {
        string? extId = null;
        try
        {
            return Envelope.Parse(line, out extId);
        }
        catch (ProtocolException ex)
        {
            // extID is known when the line was a JSON object; the connection stays open.
            session.Send(FrameWriter.Error(extId, ex.Status, ex.Error, ex.Message));
            _faults.Report($"server-api/{session.Id}", session.Remote, ex.Message);
            return null;
        }
    }

    private async Task RunAsync(Session session, Envelope envelope, SemaphoreSlim inFlight, ConnectionDeadlines deadlines)
    {
        try
        {
            var (frame, afterReply) = await _dispatcher.DispatchAsync(session, envelope);
            if (session.Scope is not null) deadlines.MarkAuthenticated();
            if (frame.Length > _server.Options.MaxPendingReplyBytes)
            {
                // Queuing it would close the connection, and the client would ask again: a loop. Tell it to page.
                frame = FrameWriter.Error(envelope.ExtId, 413, LimitErrors.ReplyTooLarge,
                    $"reply of {frame.Length} bytes exceeds this connection's limit of {_server.Options.MaxPendingReplyBytes} bytes; request fewer rows with limit/offset");
            }
            // A subscription starts while its reply is queued and before the reply can be written: a client that has
            // read "OK" gets every later quote (it ran after the reply was sent, and a tick in between was missed).
            session.Send(frame, afterReply);
        }
        finally
        {
            envelope.Dispose();
            inFlight.Release();
        }
    }
}
