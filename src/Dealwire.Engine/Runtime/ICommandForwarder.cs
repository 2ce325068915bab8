using Dealwire.Engine.Commands;

namespace Dealwire.Engine.Runtime;

/// <summary>
/// Set on a gateway node's runner (docs/replication.md "Gateway nodes"): every command goes to the cluster's leader
/// instead of this engine's queue, and this engine moves only by the committed log. The forwarder answers with the
/// leader's outcome once this node's own engine has applied the command's sequence, so a read after the reply sees it.
/// </summary>
public interface ICommandForwarder
{
    Task<CommandResult<object>> ForwardAsync(EngineCommand command, CancellationToken cancellationToken);
}
