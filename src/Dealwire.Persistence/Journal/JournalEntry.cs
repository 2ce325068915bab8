using System.Diagnostics;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Runtime;

namespace Dealwire.Persistence.Journal;

/// <summary>One unit the flusher makes durable and then releases, in order.</summary>
internal abstract class JournalEntry
{
    public abstract IReadOnlyList<EngineCommand> Commands { get; }

    /// <summary>Spans of the traced commands in this entry (the journal's spans go under them).</summary>
    public virtual IReadOnlyList<ActivityContext> TraceParents => [];

    public abstract void Release();

    public abstract void Fail(Exception error);
}

/// <summary>The runner's batch: released means replies completed and events published.</summary>
internal sealed class CommitBatchEntry(CommitBatch batch) : JournalEntry
{
    public override IReadOnlyList<EngineCommand> Commands => batch.Commands;

    public override IReadOnlyList<ActivityContext> TraceParents => batch.TraceParents;

    public override void Release() => batch.Release();

    public override void Fail(Exception error) => batch.Fail(error);
}
