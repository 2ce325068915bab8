namespace Dealwire.Engine.Runtime;

/// <summary>
/// Commands from the committed log that this engine cannot take as they are: the log has commands at sequences where
/// the engine applied its own (it sequenced them as a leader, and the cluster committed another leader's there), or
/// the log continues past a gap (an entry that never reached this engine). Nothing of them is applied; the engine
/// does not follow the log any more, so the replica must stop and recover committed state from its journal.
/// </summary>
public sealed class ReplicatedLogConflictException(string message, long sequence) : InvalidOperationException(message)
{
    /// <summary>The first sequence at which the log and this engine part.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Null when <paramref name="commands"/> (contiguous, in order) continue what <paramref name="fromLog"/> and <paramref name="engineSequence"/> say.</summary>
    internal static ReplicatedLogConflictException? Check(IReadOnlyList<Commands.EngineCommand> commands, long fromLog, long engineSequence)
    {
        if (commands.Count == 0) return null;
        for (var i = 1; i < commands.Count; i++)
        {
            if (commands[i].Sequence != commands[i - 1].Sequence + 1)
            {
                return new($"The committed log's commands jump from sequence {commands[i - 1].Sequence} to {commands[i].Sequence}", commands[i].Sequence);
            }
        }
        var first = commands[0].Sequence;
        var last = commands[^1].Sequence;
        if (engineSequence > fromLog && last > fromLog && first <= engineSequence)
        {
            // Skipping these as already applied would hide a difference: the engine's commands there are its own.
            var conflict = Math.Max(first, fromLog + 1);
            return new($"The committed log has commands from sequence {conflict} on, where this engine applied commands of its own " +
                $"(it took the log up to {fromLog} and is at {engineSequence})", conflict);
        }
        if (first > engineSequence + 1)
        {
            return new($"The committed log continues at sequence {first}, but this engine is at {engineSequence}", engineSequence + 1);
        }
        return null;
    }
}
