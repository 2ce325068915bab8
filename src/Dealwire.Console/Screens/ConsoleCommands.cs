using Dealwire.Engine.Commands;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.WebConsole.Sessions;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// The console's one way into the engine: the same commands the protocols submit, stamped with the manager's actor
/// (so the history projector audits them), and answered only once the live view has applied them, so the page the
/// browser is redirected to already shows the change.
/// </summary>
public sealed class ConsoleCommands(EngineRunner runner, ILiveView view)
{
    public async Task<CommandResult<T>> SubmitAsync<T>(ConsoleSession session, EngineCommand<T> command, CancellationToken cancellationToken)
    {
        var result = await runner.SubmitAsync(command with { Actor = session.Identity.Actor }, cancellationToken);
        await view.WaitForAsync(result.Sequence, cancellationToken);
        if (result.IsOk) session.Flash = null;
        else
        {
            session.Flash = $"{result.Code}: {result.Message}";
            session.FlashIsError = true;
        }
        return result;
    }

    /// <summary>The key as the engine keeps it: namespaced so a console key never collides with the same manager's protocol keys.</summary>
    public static string? IdempotencyKey(string? key) => string.IsNullOrWhiteSpace(key) ? null : "console:" + key.Trim();
}
