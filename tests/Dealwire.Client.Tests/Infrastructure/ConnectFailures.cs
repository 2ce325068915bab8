using Dealwire.Client;

namespace Dealwire.Client.Tests.Infrastructure;

/// <summary>
/// The sentinel for "nothing got through while the server was unreachable": a connection attempt that failed
/// after the moment of the call. Waiting for it replaces sleeping and hoping the client had time to misbehave.
/// </summary>
public static class ConnectFailures
{
    /// <summary>Completes at the client's next failed connection attempt (from now on).</summary>
    public static Task Next(ServerApiClient client)
    {
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnError(object? sender, ClientErrorEventArgs e)
        {
            if (e.Kind != ClientErrorKind.ConnectFailed) return;
            client.Error -= OnError;
            failed.TrySetResult();
        }
        client.Error += OnError;
        return failed.Task;
    }
}
