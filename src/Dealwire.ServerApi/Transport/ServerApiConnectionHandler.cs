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
        var requests = new InFlightRequests(_server.Options.MaxInFlightPerConnection);
        var lines = new CommandLines(this, session, deadlines, requests);
        try
        {
            await LineReadLoop.RunAsync(input, _server.Options.MaxLineBytes, deadlines, partial, lines);
        }
        finally
        {
            // Commands already read still run to their reply, also when the client half-closed or a limit ended
            // the connection.
            await requests.AllEndedAsync();
        }
    }

    /// <summary>One connection's command lines as the gateway's read loop finds them.</summary>
    private sealed class CommandLines : ILineConsumer
    {
        private readonly ServerApiConnectionHandler _handler;
        private readonly Session _session;
        private readonly ConnectionDeadlines _deadlines;
        private readonly ServerApiOptions _options;
        private readonly int _perSecond;
        private readonly CommandRateLimiter _limiter;
        private readonly InFlightRequests _requests;
        private long _lastTraffic;

        public CommandLines(ServerApiConnectionHandler handler, Session session, ConnectionDeadlines deadlines, InFlightRequests requests)
        {
            _handler = handler;
            _session = session;
            _deadlines = deadlines;
            _options = handler._server.Options;
            // UpdateConfig's antiflood/floodcontrol apply to connections opened after the change.
            _perSecond = handler._server.ConfigView?.CommandsPerSecond(_options.CommandsPerSecond) ?? _options.CommandsPerSecond;
            _limiter = new CommandRateLimiter(_perSecond, handler._server.Time);
            _requests = requests;
            _lastTraffic = handler._server.Time.GetTimestamp();
        }

        // The heartbeat (off unless configured: the protocol has none) is idle time; any read resets it.
        public TimeSpan? IdleLimit => _options.IdleLimit;

        public string InputEnded => "client closed";

        public ValueTask<string?> DeadlineExpiredAsync(DeadlineKind expired)
        {
            if (expired == DeadlineKind.None)
            {
                // Authenticated meanwhile, unless the heartbeat is what fired.
                if (_options.IdleLimit is not { } idle || _handler._server.Time.GetElapsedTime(_lastTraffic) < idle - IdleTolerance) return ValueTask.FromResult<string?>(null);
                return Closed(IdleTimeoutError, 408, $"no traffic for {idle.TotalSeconds:0.###} s (heartbeat timeout)");
            }
            if (expired == DeadlineKind.Authentication && _session.Scope is not null)
            {
                // A command with a valid token is still being served (a slow first command: a history read waiting for
                // its store, a large export): its token was verified when it started, so the connection has authenticated.
                _deadlines.MarkAuthenticated();
                return ValueTask.FromResult<string?>(null);
            }
            return Closed(expired == DeadlineKind.Authentication ? LimitErrors.AuthenticationTimeout : LimitErrors.LineTimeout, 408, _deadlines.Describe(expired));
        }

        public ValueTask<string?> OverlongAsync(bool ended) =>
            Closed(ErrorNames.InvalidData, 400, $"line longer than {_options.MaxLineBytes} bytes", $"line over {_options.MaxLineBytes} bytes");

        public async ValueTask<string?> LineAsync(System.Buffers.ReadOnlySequence<byte> line)
        {
            if (LineFramer.IsBlank(line)) return null;
            var envelope = _handler.Parse(_session, line);
            if (envelope is null) return null;
            if (!_limiter.TryTake())
            {
                _session.Send(FrameWriter.Error(envelope.ExtId, 429, "RET_TOO_FREQUENT", $"more than {_perSecond} commands per second"));
                envelope.Dispose();
                return null;
            }
            await _requests.WaitForSlotAsync(_handler._lifetime.ApplicationStopping);
            _requests.Started(_handler.RunAsync(_session, envelope, _requests, _deadlines));
            return null;
        }

        public ValueTask<string> PartialBudgetExceededAsync(string reason)
        {
            _handler.Close(_session, LimitErrors.ServerBusy, 503, reason);
            return ValueTask.FromResult(reason);
        }

        public string? AfterRead()
        {
            _lastTraffic = _handler._server.Time.GetTimestamp();
            return _session.IsAborted ? "aborted" : null;
        }

        private ValueTask<string?> Closed(string error, int status, string reason, string? logReason = null)
        {
            _handler.Close(_session, error, status, reason, logReason);
            return ValueTask.FromResult<string?>(logReason ?? reason);
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

    private async Task RunAsync(Session session, Envelope envelope, InFlightRequests requests, ConnectionDeadlines deadlines)
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
            requests.Finished();
        }
    }
}
