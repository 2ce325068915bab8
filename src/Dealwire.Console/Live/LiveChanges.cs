using Dealwire.Engine.Events;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;

namespace Dealwire.WebConsole.Live;

/// <summary>
/// Tells the console's live streams that the live view moved on. One observer for every open page: a batch only
/// completes the current signal (no per-page work on the view's apply task); each stream then re-renders its own
/// view at its own pace.
/// </summary>
public sealed class LiveChanges : ILiveObserver
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LiveChanges(ILiveView view) => view.AddObserver(this);

    /// <summary>Completes at the next applied batch.</summary>
    public Task NextAsync(CancellationToken cancellationToken) => Volatile.Read(ref _next).Task.WaitAsync(cancellationToken);

    public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events) =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
