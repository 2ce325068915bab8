using Dealwire.ReadModel.Live;

namespace Dealwire.ManagerApi.Session;

/// <summary>
/// Live reads for this connection, from the shared live view (never the engine thread), with read-your-writes:
/// every reply to a command remembers its sequence, and a later read waits until the view has applied it.
/// </summary>
public sealed partial class ManagerSession
{
    private long _answeredSequence;

    /// <summary>Highest engine sequence a reply on this connection carried.</summary>
    public long AnsweredSequence => Interlocked.Read(ref _answeredSequence);

    /// <summary>Remembers a reply's sequence; concurrent commands may answer out of order, the highest wins.</summary>
    public void Answered(long sequence)
    {
        var seen = Interlocked.Read(ref _answeredSequence);
        while (sequence > seen)
        {
            var was = Interlocked.CompareExchange(ref _answeredSequence, sequence, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    /// <summary>Waits for this connection's writes to reach the live view, then reads it.</summary>
    public async ValueTask<T> ReadAsync<T>(Func<ILiveView, T> read)
    {
        await CatchUpAsync();
        return read(Context.View);
    }

    /// <summary>As <see cref="ReadAsync{T}"/>, against one applied state, with its sequence (subscription snapshots).</summary>
    public async ValueTask<(long Sequence, T Value)> ReadConsistentAsync<T>(Func<ILiveView, T> read)
    {
        await CatchUpAsync();
        return Context.View.ReadConsistent(read);
    }

    private ValueTask CatchUpAsync()
    {
        var seen = AnsweredSequence;
        return Context.View.Sequence >= seen ? ValueTask.CompletedTask : Context.View.WaitForAsync(seen);
    }
}
