using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Feeds.Sources;
using Dealwire.Gateway.Framing;
using Dealwire.Gateway.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dealwire.Feeds.Feeder;

/// <summary>
/// The feeder endpoint on Kestrel: the first line is the feeder's key, every further line one tick (or a ping).
/// A bad key ends the connection; a bad line is answered with an error line and the connection stays. Ticks go
/// into the engine's queue with back-pressure (the read loop waits while the queue is full), so a feeder that
/// outruns the engine is slowed down by TCP flow control instead of losing ticks. The gateway's limits apply:
/// connection cap, authentication and line deadlines, the listener-wide budget for partial lines.
/// </summary>
public sealed partial class FeederConnectionHandler : ConnectionHandler
{
    private readonly FeederListenerOptions _options;
    private readonly FeederKeyStore _keys;
    private readonly FeedRouting _routing;
    private readonly IReadOnlyDictionary<string, int> _priorities;
    private readonly TimeProvider _clock;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly ConnectionLimiter _connections;
    private readonly PartialLineBudget _partialLines;

    public FeederConnectionHandler(IOptions<FeederListenerOptions> options, FeederKeyStore keys, FeedRouting routing, FeederPriorities priorities,
        TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<FeederConnectionHandler> logger)
    {
        _options = options.Value;
        _keys = keys;
        _routing = routing;
        _priorities = priorities.ByName;
        _clock = clock;
        _lifetime = lifetime;
        _logger = logger;
        _connections = new ConnectionLimiter(_options.MaxConnections);
        _partialLines = new PartialLineBudget(_options.MaxPartialLineBytes);
    }

    public override Task OnConnectedAsync(ConnectionContext connection) =>
        _connections.ServeAsync(async () =>
        {
            LogRefused(connection.ConnectionId, _options.MaxConnections);
            await connection.Transport.Output.WriteAsync(FeederErrors.Line(FeederErrors.TooManyConnections, $"{_options.MaxConnections} feeder connections are open.", 0));
        }, () => ServeAsync(connection));

    private async Task ServeAsync(ConnectionContext connection)
    {
        using var deadlines = new ConnectionDeadlines(_options, _clock, _lifetime.ApplicationStopping);
        using var partial = _partialLines.Open();
        var state = new FeederConnection(connection.Transport.Output);
        string reason;
        try
        {
            reason = await ReadLoopAsync(connection, state, deadlines, partial);
        }
        catch (Exception ex) when (ex is ConnectionResetException or IOException)
        {
            reason = "connection reset";
        }
        finally
        {
            state.Source?.SessionEnded();
        }
        LogClosed(connection.ConnectionId, state.Key?.Name ?? "unauthenticated", state.Ticks, state.Errors, reason);
    }

    private Task<string> ReadLoopAsync(ConnectionContext connection, FeederConnection state, ConnectionDeadlines deadlines, PartialLineBudget.Holding partial) =>
        LineReadLoop.RunAsync(connection.Transport.Input, _options.MaxLineBytes, deadlines, partial, new FeederLines(this, connection, state, deadlines));

    /// <summary>One feeder's lines as the gateway's read loop finds them: the key, then ticks and pings.</summary>
    private sealed class FeederLines(FeederConnectionHandler handler, ConnectionContext connection, FeederConnection state, ConnectionDeadlines deadlines)
        : ILineConsumer
    {
        public TimeSpan? IdleLimit => null;

        public string InputEnded => "feeder closed";

        public async ValueTask<string?> DeadlineExpiredAsync(DeadlineKind expired)
        {
            await state.SendAsync(FeederErrors.Line(FeederErrors.Timeout, deadlines.Describe(expired), 0));
            return deadlines.Describe(expired);
        }

        public async ValueTask<string?> OverlongAsync(bool ended)
        {
            // Numbered as the line it is, whether its end has arrived yet or not.
            state.LineNumber++;
            await state.ErrorAsync(FeederErrors.LineTooLong, $"Lines are limited to {handler._options.MaxLineBytes} bytes.");
            return null;
        }

        public async ValueTask<string?> LineAsync(ReadOnlySequence<byte> line)
        {
            state.LineNumber++;
            var closeReason = await handler.HandleLineAsync(state, line, connection.ConnectionClosed);
            if (state.Key is not null) deadlines.MarkAuthenticated();
            return closeReason;
        }

        public async ValueTask<string> PartialBudgetExceededAsync(string reason)
        {
            await state.SendAsync(FeederErrors.Line(FeederErrors.LineTooLong, "The listener's budget for partial lines is exhausted.", 0));
            return reason;
        }

        public string? AfterRead() => null;
    }

    /// <summary>Handles one complete line; returns a reason when the connection must close.</summary>
    private async ValueTask<string?> HandleLineAsync(FeederConnection state, ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        if (line.IsEmpty) return null;
        // Lines are short (MaxLineBytes): copy a line split across segments onto the stack.
        Span<byte> copy = line.IsSingleSegment ? default : stackalloc byte[(int)line.Length];
        ReadOnlySpan<byte> bytes = line.IsSingleSegment ? line.FirstSpan : copy;
        if (!line.IsSingleSegment) line.CopyTo(copy);

        if (state.Key is null)
        {
            var key = _keys.Find(System.Text.Encoding.UTF8.GetString(bytes).Trim());
            if (key is null)
            {
                await state.ErrorAsync(FeederErrors.BadKey, "The first line must be a feeder key issued by `dealwire key issue --feeder NAME`.");
                return "bad key";
            }
            state.Key = key;
            state.Source = _routing.Sources.GetOrAdd(key.Name, _priorities.GetValueOrDefault(key.Name, _options.DefaultPriority));
            state.Source.SessionStarted();
            state.Target = _routing.TargetFor(key.Name, state.Source.Priority);
            await state.SendAsync(FeederErrors.Welcome(key));
            LogAuthenticated(key.Name);
            return null;
        }

        var kind = FeederLine.Parse(bytes, out var symbol, out var bid, out var ask, out var time, out var ping, out var code, out var message);
        switch (kind)
        {
            case FeederLineKind.Error:
                await state.ErrorAsync(code!, message!);
                return null;
            case FeederLineKind.Ping:
                await state.SendAsync(FeederErrors.Pong(ping!));
                return null;
        }
        if (!state.Key.Allows(symbol!))
        {
            await state.ErrorAsync(FeederErrors.SymbolNotAllowed, $"The key of feeder '{state.Key.Name}' does not allow {symbol}.");
            return null;
        }
        state.Ticks++;
        var tick = new RawTick(symbol!, bid, ask, time ?? _clock.GetUtcNow().ToUnixTimeMilliseconds());
        var offered = state.Target!.OfferWaitingAsync(tick, cancellationToken);
        if (!offered.IsCompleted) await offered;
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feeder connection {Id} refused: {Max} connections open")]
    private partial void LogRefused(string id, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feeder {Feeder} connected")]
    private partial void LogAuthenticated(string feeder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feeder connection {Id} ({Feeder}) closed after {Ticks} ticks, {Errors} error lines: {Reason}")]
    private partial void LogClosed(string id, string feeder, long ticks, long errors, string reason);
}

/// <summary>Priorities of feeders listed in <c>Feed:Sources</c> (kind Feeder), by feeder name.</summary>
public sealed record FeederPriorities(IReadOnlyDictionary<string, int> ByName);
