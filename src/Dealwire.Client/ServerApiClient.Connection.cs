using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Dealwire.Client.Protocol;
using Dealwire.Gateway.Framing;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    private const int FlushThreshold = 64 * 1024;
    private readonly SymbolNameCache _symbolNames = new();

    /// <summary>
    /// The life of one connection: a reader loop and a writer loop. Returns why it ended, after failing the
    /// requests that were on the wire.
    /// </summary>
    private async Task<Exception> RunSessionAsync(SocketTransport transport, int attempts, long downSince)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_disposeCts.Token);
        _transport = transport;
        var restore = BuildRestoreRequests();
        var reading = Task.Run(() => ReadLoopAsync(transport.Input, session.Token));
        var writing = Task.Run(() => WriteLoopAsync(transport.Output, restore, session.Token));
        _ = AwaitRestoreAsync(restore, attempts, downSince);

        var ended = await Task.WhenAny(reading, writing);
        session.Cancel();
        await transport.DisposeAsync();
        try
        {
            await Task.WhenAll(reading, writing);
        }
        catch (Exception)
        {
            // The first loop to end explains the drop; the other one only noticed it.
        }
        _transport = null;
        var reason = ended.Exception?.GetBaseException()
            ?? (ended == reading
                ? new IOException($"{_endpoint} closed the connection.")
                : new IOException("The request writer stopped."));
        FailInFlight(reason);
        return reason;
    }

    private async Task ReadLoopAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var limit = (int)Math.Min(_options.MaxMessageBytes, LineFramer.Unbounded);
            FrameStatus status;
            while ((status = LineFramer.TryReadLine(ref buffer, limit, out var line)) == FrameStatus.Line) ProcessLine(line);
            if (status is FrameStatus.TooLong or FrameStatus.TooLongPending)
            {
                throw new InvalidDataException($"A message from {_endpoint} exceeded {_options.MaxMessageBytes} bytes without a line end.");
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled) return;
        }
    }

    private async Task WriteLoopAsync(PipeWriter output, IReadOnlyList<PendingRequest> first, CancellationToken cancellationToken)
    {
        var token = await CurrentTokenAsync(cancellationToken);
        // Subscriptions go out before anything queued during the outage, so pushes resume first.
        foreach (var request in first)
        {
            if (request.TryMarkSent()) RequestWriter.Write(output, request.Command, request.Data, request.ExtId, token);
        }
        if (first.Count > 0 && (await output.FlushAsync(cancellationToken)).IsCompleted) return;

        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            token = await CurrentTokenAsync(cancellationToken);
            while (reader.TryRead(out var request))
            {
                if (!request.TryMarkSent()) continue;
                RequestWriter.Write(output, request.Command, request.Data, request.ExtId, token);
                if (output.UnflushedBytes >= FlushThreshold && (await output.FlushAsync(cancellationToken)).IsCompleted) return;
            }
            if ((await output.FlushAsync(cancellationToken)).IsCompleted) return;
        }
    }

    private ValueTask<string> CurrentTokenAsync(CancellationToken cancellationToken) =>
        _options.TokenProvider is { } provider ? provider(cancellationToken) : ValueTask.FromResult(_options.Token!);

    private void ProcessLine(in ReadOnlySequence<byte> line)
    {
        if (LineFramer.IsBlank(line)) return;
        JsonElement message = default;
        try
        {
            switch (InboundParser.Classify(line, _symbolNames, out var quote, out message))
            {
                case InboundKind.Quote:
                    Quotes.Publish(quote);
                    break;
                case InboundKind.Notification:
                    var notification = InboundParser.ReadNotification(message);
                    if (_deduplicator.FirstSeen(notification.Token)) Notifications.Publish(notification);
                    break;
                case InboundKind.SymbolReindex:
                    Raise(SymbolsReindexed, InboundParser.ReadSymbolReindex(message));
                    break;
                case InboundKind.SymbolGroupReindex:
                    Raise(SymbolGroupsReindexed, InboundParser.ReadSymbolGroupReindex(message));
                    break;
                case InboundKind.Event:
                    DispatchEvent(message);
                    break;
                case InboundKind.Response:
                    CompleteRequest(message);
                    break;
                case InboundKind.Unknown:
                    RaiseError(ClientErrorKind.UnknownMessage, $"Unknown message: {Shorten(message.GetRawText())}");
                    break;
                default:
                    RaiseError(ClientErrorKind.MalformedMessage, $"Not JSON: {Shorten(Encoding.UTF8.GetString(line))}");
                    break;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException)
        {
            RaiseError(ClientErrorKind.MalformedMessage, $"Could not decode {Shorten(Encoding.UTF8.GetString(line))}: {e.Message}", e);
        }
    }
}
