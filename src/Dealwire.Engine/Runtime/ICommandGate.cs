namespace Dealwire.Engine.Runtime;

/// <summary>
/// Decides, on the engine thread, whether this process may sequence new commands at all. A replica that is not
/// its cluster's leader must not: its state only moves by the committed log (<see cref="EngineRunner.ApplyReplicatedAsync"/>).
/// Single-node mode has no gate.
/// </summary>
public interface ICommandGate
{
    /// <summary>Null when commands may be applied; otherwise the refusal message (it names the leader to go to).</summary>
    string? Refusal { get; }
}
