using System.Text.Json;

namespace Dealwire.Client;

/// <summary>
/// One call from <c>CallAsync</c> until its reply: queued, then sent, then completed exactly once (reply,
/// error, timeout, cancellation or connection loss — whichever comes first wins).
/// </summary>
internal sealed class PendingRequest
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Done = 2;

    private readonly TaskCompletionSource<JsonElement> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private CancellationTokenRegistration _cancellation;

    public PendingRequest(string command, byte[] data, string extId, long deadline)
    {
        Command = command;
        Data = data;
        ExtId = extId;
        Deadline = deadline;
    }

    public string Command { get; }

    public byte[] Data { get; }

    public string ExtId { get; }

    /// <summary><see cref="Environment.TickCount64"/> after which the call times out.</summary>
    public long Deadline { get; }

    public Task<JsonElement> Task => _completion.Task;

    public bool IsSent => Volatile.Read(ref _state) == Sent;

    public bool IsDone => Volatile.Read(ref _state) == Done;

    /// <summary>Called by the writer right before the bytes go out; false when the call already ended.</summary>
    public bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

    public void RegisterCancellation(Action<object?, CancellationToken> onCancel, object state, CancellationToken token)
    {
        if (token.CanBeCanceled) _cancellation = token.Register(onCancel, state);
    }

    public bool TrySucceed(JsonElement data) => Finish() && _completion.TrySetResult(data);

    public bool TryFail(Exception error) => Finish() && _completion.TrySetException(error);

    public bool TryCancel(CancellationToken token) => Finish() && _completion.TrySetCanceled(token);

    private bool Finish()
    {
        if (Interlocked.Exchange(ref _state, Done) == Done) return false;
        // Unregister (not Dispose): this may run inside the cancellation callback itself.
        _cancellation.Unregister();
        return true;
    }
}
