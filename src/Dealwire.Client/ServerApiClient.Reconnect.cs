namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    /// <summary>Connects, runs the session, and on a drop reconnects with backoff until disposed or out of attempts.</summary>
    private async Task SuperviseAsync(bool failFastOnFirstConnect)
    {
        var stopping = _disposeCts.Token;
        var policy = _options.Reconnect;
        var connectedOnce = false;
        var attempt = 0;
        var failures = 0;
        var downSince = Environment.TickCount64;
        while (!stopping.IsCancellationRequested)
        {
            if (attempt > 0)
            {
                try
                {
                    await Task.Delay(Backoff.Delay(policy, attempt, _jitter), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            SocketTransport transport;
            try
            {
                transport = await SocketTransport.ConnectAsync(_options, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                failures++;
                attempt++;
                if (!connectedOnce && failFastOnFirstConnect)
                {
                    Close(new ServerApiConnectionException($"{_options.ConnectionName}: could not connect to {_endpoint}: {e.Message}", e));
                    return;
                }
                RaiseError(ClientErrorKind.ConnectFailed, $"Connecting to {_endpoint} failed (attempt {failures}): {e.Message}", e);
                if (!policy.Enabled || failures >= (policy.MaxAttempts ?? int.MaxValue))
                {
                    Close(new ConnectionLostException($"{_options.ConnectionName}: gave up reconnecting to {_endpoint} after {failures} attempts: {e.Message}", e));
                    return;
                }
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (stopping.IsCancellationRequested)
            {
                await transport.DisposeAsync();
                return;
            }
            SetState(ConnectionState.Connected);
            var reason = await RunSessionAsync(transport, failures + 1, downSince);
            connectedOnce = true;
            if (stopping.IsCancellationRequested) return;

            downSince = Environment.TickCount64;
            SetState(ConnectionState.Reconnecting);
            Raise(Disconnected, new DisconnectedEventArgs(reason));
            if (!policy.Enabled)
            {
                Close(new ConnectionLostException($"{_options.ConnectionName}: the connection to {_endpoint} was lost and reconnecting is disabled: {reason.Message}", reason));
                return;
            }
            attempt = 1;
            failures = 0;
        }
    }

    /// <summary>Waits for the subscription replies of a fresh connection, then reports it ready (first time) or reconnected.</summary>
    private async Task AwaitRestoreAsync(IReadOnlyList<PendingRequest> restore, int attempts, long downSince)
    {
        var first = !_ready.Task.IsCompleted;
        foreach (var request in restore)
        {
            try
            {
                await request.Task;
            }
            catch (ServerApiException e)
            {
                if (first && _failFast)
                {
                    _ready.TrySetException(e);
                    return;
                }
                RaiseError(ClientErrorKind.SubscriptionRestoreFailed, $"Subscribing after connect was rejected: {e.Message}", e);
            }
            catch (Exception e)
            {
                // The connection dropped again (or the client closed) before the replies came: the next
                // connection reports instead. ConnectAsync surfaces the error of its first connection.
                if (first && _failFast) _ready.TrySetException(e);
                return;
            }
        }
        if (first) _ready.TrySetResult();
        else Raise(Reconnected, new ReconnectedEventArgs(attempts, TimeSpan.FromMilliseconds(Environment.TickCount64 - downSince)));
    }
}
