using Dealwire.Engine.Events;

namespace Dealwire.ManagerApi.Tests.Infrastructure;

/// <summary>Batches handed to the hub directly, as the engine's commit thread would.</summary>
internal static class HandMadeBatches
{
    /// <summary>
    /// The engine sets an event's sequence when it emits it (an internal setter); a test batch does it here. The
    /// subscription drops anything at or below its snapshot's sequence, so test events are stamped past every one used.
    /// </summary>
    public static void Stamp(EngineEvent e, long sequence) =>
        typeof(EngineEvent).GetProperty(nameof(EngineEvent.Sequence))!.SetValue(e, sequence);
}
