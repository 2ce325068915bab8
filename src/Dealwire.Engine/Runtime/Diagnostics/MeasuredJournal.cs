namespace Dealwire.Engine.Runtime.Diagnostics;

/// <summary>
/// Sits between the runner and the real journal to time each batch as it closes (engine apply time per batch),
/// so the runner's loop carries no measuring code of its own.
/// </summary>
public sealed class MeasuredJournal(ICommandJournal inner) : ICommandJournal
{
    public void Append(CommitBatch batch)
    {
        EngineMetrics.BatchClosed(batch);
        inner.Append(batch);
    }
}
