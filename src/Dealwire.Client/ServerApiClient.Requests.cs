using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>
    /// Sends any command and returns the reply's <c>data</c> (a detached <see cref="JsonElement"/>).
    /// </summary>
    /// <param name="command">Command name, case-sensitive (<c>GetSymbols</c>, <c>MngAddNotify</c>, …).</param>
    /// <param name="data">The <c>data</c> object: any serializable object (property names are sent as written),
    /// a <see cref="JsonElement"/>, or <c>null</c> for <c>{}</c>.</param>
    /// <param name="cancellationToken">Abandons the call (the request may still reach the server).</param>
    /// <exception cref="ServerApiException">The server answered with an error frame.</exception>
    /// <exception cref="ConnectionLostException">The connection dropped after the request was sent; its outcome is unknown.</exception>
    /// <exception cref="TimeoutException">No reply within <see cref="ServerApiClientOptions.RequestTimeout"/>.</exception>
    /// <exception cref="PendingQueueFullException">The pending queue is full and the overflow mode is <see cref="PendingQueueFullMode.Fail"/>.</exception>
    public Task<JsonElement> CallAsync(string command, object? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var bytes = data switch
        {
            null => EmptyObject,
            JsonElement element => Encoding.UTF8.GetBytes(element.GetRawText()),
            _ => JsonSerializer.SerializeToUtf8Bytes(data, data.GetType()),
        };
        return SendAsync(command, bytes, cancellationToken);
    }

    private async Task<TResult> CallAsync<TRequest, TResult>(string command, TRequest request, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        var data = await SendAsync(command, JsonSerializer.SerializeToUtf8Bytes(request, requestType), cancellationToken).ConfigureAwait(false);
        return Decode(command, data, resultType);
    }

    private async Task<TResult> CallAsync<TResult>(string command, byte[] data, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(command, data, cancellationToken).ConfigureAwait(false);
        return Decode(command, reply, resultType);
    }

    private static TResult Decode<TResult>(string command, JsonElement data, JsonTypeInfo<TResult> type) =>
        data.ValueKind == JsonValueKind.Object
            ? data.Deserialize(type) ?? throw new JsonException($"{command} answered null.")
            : throw new JsonException($"{command} answered {data.ValueKind} where an object was expected: {Shorten(data.GetRawText())}");

    private Task<JsonElement> SendAsync(string command, byte[] data, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0) return Task.FromException<JsonElement>(new ObjectDisposedException(ToString()));
        if (_closedReason is { } closed) return Task.FromException<JsonElement>(Closed(closed));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<JsonElement>(cancellationToken);

        var request = Register(command, data, Environment.TickCount64 + (long)_options.RequestTimeout.TotalMilliseconds);

        if (cancellationToken.CanBeCanceled)
        {
            request.RegisterCancellation(static (state, token) =>
            {
                var (client, r) = ((ServerApiClient, PendingRequest))state!;
                client._outstanding.TryRemove(r.ExtId, out _);
                r.TryCancel(token);
            }, (this, request), cancellationToken);
        }
        return _queue.Writer.TryWrite(request) ? request.Task : EnqueueSlowAsync(request, cancellationToken);
    }

    /// <summary>The queue is full (we are probably reconnecting) or the client is closing.</summary>
    private async Task<JsonElement> EnqueueSlowAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        if (_closedReason is { } closed)
        {
            Abandon(request, Closed(closed));
        }
        else if (_options.PendingQueueFullMode == PendingQueueFullMode.Fail)
        {
            Abandon(request, new PendingQueueFullException(
                $"{request.Command}: the pending queue of {_options.ConnectionName} is full ({_options.PendingQueueCapacity} requests, state {State})."));
        }
        else
        {
            var remaining = Math.Max(0, request.Deadline - Environment.TickCount64);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(remaining));
            try
            {
                await _queue.Writer.WriteAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested) request.TryCancel(cancellationToken);
                else Abandon(request, TimedOut(request, "waiting for room in the pending queue"));
                _outstanding.TryRemove(request.ExtId, out _);
            }
            catch (ChannelClosedException)
            {
                Abandon(request, Closed(_closedReason));
            }
        }
        return await request.Task.ConfigureAwait(false);
    }

    private void Abandon(PendingRequest request, Exception error)
    {
        _outstanding.TryRemove(request.ExtId, out _);
        request.TryFail(error);
    }

    private Exception Closed(Exception? reason) => reason is ObjectDisposedException
        ? new ObjectDisposedException(ToString(), "The client was disposed.")
        : new ConnectionLostException($"{_options.ConnectionName} is closed: {reason?.Message}", reason);

    private TimeoutException TimedOut(PendingRequest request, string where) => new(
        $"{request.Command} (extID {request.ExtId}) got no reply within {_options.RequestTimeout.TotalSeconds:0.###} s ({where}).");

    private void SweepTimeouts()
    {
        var now = Environment.TickCount64;
        foreach (var (extId, request) in _outstanding)
        {
            if (now < request.Deadline || !_outstanding.TryRemove(extId, out _)) continue;
            request.TryFail(TimedOut(request, request.IsSent ? "sent, no reply" : "still queued, not connected"));
        }
    }

    /// <summary>A reply <c>{"extID","status","data"}</c> or error <c>{"extID","status","error","message"}</c>.</summary>
    private void CompleteRequest(JsonElement reply)
    {
        var idElement = reply.GetProperty("extID");
        var extId = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() ?? "" : idElement.GetRawText();
        if (!_outstanding.TryRemove(extId, out var request))
        {
            RaiseError(ClientErrorKind.UnmatchedResponse, $"Reply for unknown extID '{extId}' (timed out or cancelled?): {Shorten(reply.GetRawText())}");
            return;
        }
        var status = reply.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 200;
        var hasError = reply.TryGetProperty("error", out var error);
        if (status is >= 200 and < 300 && !hasError)
        {
            request.TrySucceed(reply.TryGetProperty("data", out var data) ? data : default);
            return;
        }
        var code = hasError ? Protocol.InboundParser.Text(error) : $"HTTP_{status}";
        var message = reply.TryGetProperty("message", out var m) ? Protocol.InboundParser.Text(m) : code;
        request.TryFail(new ServerApiException(request.Command, status, code, message));
    }

    /// <summary>Fails the requests that were on the wire when the connection dropped; queued ones stay queued.</summary>
    private void FailInFlight(Exception reason)
    {
        // A disposal ends the connection's loops too: the calls are then failed by Dispose itself, with
        // ObjectDisposedException as documented, not as a lost connection (whichever thread got there first).
        if (Volatile.Read(ref _disposed) != 0) return;
        foreach (var (extId, request) in _outstanding)
        {
            if (!request.IsSent || !_outstanding.TryRemove(extId, out _)) continue;
            request.TryFail(new ConnectionLostException(
                $"{request.Command} (extID {request.ExtId}): the connection to {_endpoint} was lost before the reply arrived; the outcome is unknown. {reason.Message}",
                reason));
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
