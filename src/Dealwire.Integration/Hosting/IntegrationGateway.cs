using Dealwire.Engine.Commands;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;

namespace Dealwire.Integration.Hosting;

/// <summary>
/// What the three services share: the engine's command path (the same <see cref="EngineRunner.SubmitAsync{T}"/> the
/// Manager API's handlers use) and the live view for reads. After a command, a read waits until the view has
/// applied the command's sequence, so a response always shows the command's own effect (read-your-writes).
/// The gateway keeps no trading state of its own.
/// </summary>
public sealed class IntegrationGateway(EngineRunner runner, ILiveView view)
{
    public ILiveView View => view;

    public Task<CommandResult<T>> SubmitAsync<T>(EngineCommand<T> command, CancellationToken cancellationToken) =>
        runner.SubmitAsync(command, cancellationToken);

    /// <summary>Reads the live view once it has applied <paramref name="sequence"/>.</summary>
    public async ValueTask<T> ReadAfterAsync<T>(long sequence, Func<ILiveView, T> read, CancellationToken cancellationToken)
    {
        if (view.Sequence < sequence) await view.WaitForAsync(sequence, cancellationToken);
        return read(view);
    }

    /// <summary>Whether this actor already used the engine idempotency key (a retry skips the gateway's own state checks).</summary>
    public Task<Engine.Core.IdempotencyRecord?> FindRetryAsync(string actor, string key, CancellationToken cancellationToken) =>
        runner.QueryAsync(r => r.FindIdempotency(actor, key), cancellationToken);
}
