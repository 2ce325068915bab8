using System.Buffers;
using System.IO.Pipelines;
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
/// the session's bounded outbound queue.
/// </summary>
/// <remarks>Connections end when the server stops: Kestrel's graceful shutdown waits for this handler to return.</remarks>
internal sealed class ServerApiConnectionHandler(ServerApiContext server, Dispatcher dispatcher, IHostApplicationLifetime lifetime) : ConnectionHandler
{
    private readonly ILogger _logger = server.Loggers.CreateLogger<ServerApiConnectionHandler>();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var options = server.Options;
        var session = new Session(connection, options, _logger);
        var output = connection.Transport.Output;
        if (!server.Sessions.TryAdd(session, options.MaxConnections))
        {
            _logger.LogWarning("Server API connection from {Remote} refused: {Max} connections open", session.Remote, options.MaxConnections);
            await output.WriteAsync(FrameWriter.Error(null, 503, "RET_ERR_CONNECTION", $"too many connections (limit {options.MaxConnections})"));
            return;
        }

        _ = server.Mirror.EnsureSeededAsync(server.Runner);
        var writer = session.Outbound.RunWriterAsync(output, connection.ConnectionClosed);
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping);
        try
        {
            await ReadLoopAsync(session, connection.Transport.Input, closing.Token);
        }
        catch (ConnectionResetException)
        {
            // The peer went away; nothing to answer.
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // Closed by the peer, or the server is stopping: what is queued still goes out below.
        }
        finally
        {
            server.Sessions.Remove(session);
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

    private async Task ReadLoopAsync(Session session, PipeReader input, CancellationToken closed)
    {
        var options = server.Options;
        var limiter = new CommandRateLimiter(options.CommandsPerSecond, server.Time);
        // Not disposed: commands still running release it after the read loop ends.
        var inFlight = new SemaphoreSlim(options.MaxInFlightPerConnection);
        var running = new List<Task>();
        while (!session.IsAborted)
        {
            var read = await input.ReadAsync(closed);
            var buffer = read.Buffer;
            while (true)
            {
                var status = LineFramer.TryReadLine(ref buffer, options.MaxLineBytes, out var line);
                if (status == FrameStatus.NeedMore) break;
                if (status == FrameStatus.TooLong)
                {
                    session.Send(FrameWriter.Error(null, 400, ErrorNames.InvalidData,
                        $"line longer than {options.MaxLineBytes} bytes; closing the connection"));
                    _logger.LogWarning("Server API connection {Id} from {Remote} closed: line over {Max} bytes",
                        session.Id, session.Remote, options.MaxLineBytes);
                    input.AdvanceTo(read.Buffer.End);
                    return;
                }
                if (LineFramer.IsBlank(line)) continue;

                var envelope = Parse(session, line);
                if (envelope is null) continue;
                if (!limiter.TryTake())
                {
                    session.Send(FrameWriter.Error(envelope.ExtId, 429, "RET_TOO_FREQUENT",
                        $"more than {options.CommandsPerSecond} commands per second"));
                    envelope.Dispose();
                    continue;
                }

                await inFlight.WaitAsync(closed);
                running.Add(RunAsync(session, envelope, inFlight));
                if (running.Count > 256) running.RemoveAll(t => t.IsCompleted);
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted || read.IsCanceled) break;
        }
        // Commands already started still answer before the connection is torn down.
        await Task.WhenAll(running);
    }

    private static Envelope? Parse(Session session, in ReadOnlySequence<byte> line)
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
            return null;
        }
    }

    private async Task RunAsync(Session session, Envelope envelope, SemaphoreSlim inFlight)
    {
        try
        {
            var frame = await dispatcher.DispatchAsync(session, envelope);
            session.Send(frame);
        }
        finally
        {
            envelope.Dispose();
            inFlight.Release();
        }
    }
}
