using Dealwire.Engine.Commands;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Tests;

/// <summary>Holds the runner's batches until the test releases them, like a journal waiting for its fsync (or a cluster's commit).</summary>
internal sealed class HeldJournal : ICommandJournal
{
    public readonly List<CommitBatch> Batches = [];

    public void Append(CommitBatch batch)
    {
        lock (Batches) Batches.Add(batch);
    }

    public int Count
    {
        get
        {
            lock (Batches) return Batches.Count;
        }
    }
}

/// <summary>The committed log a leader's runner produced: every command of every released batch, in order.</summary>
internal sealed class CommittedLog : ICommittedBatchSink
{
    public readonly List<EngineCommand> Commands = [];

    public void OnCommitted(CommittedBatch batch)
    {
        lock (Commands) Commands.AddRange(batch.Commands);
    }
}
