using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>The shared services every command handler and the transport use (one per server).</summary>
internal sealed class ServerApiContext(
    EngineRunner runner,
    TokenService tokens,
    TimeProvider time,
    ServerApiOptions options,
    SessionRegistry sessions,
    ILiveView view,
    ManagerKeyStore? managerKeys,
    IHistoryReader history,
    ILoggerFactory loggers,
    IEngineCommands? engine = null,
    IAuditTrail? audit = null,
    IAuditLogReader? auditLog = null,
    Config.ServerConfigView? configView = null,
    Config.ServerInstallation? installation = null,
    ReadModel.Exports.ExportStorage? exports = null,
    Wire.TradeJsonCache? tradeJson = null)
{
    public EngineRunner Runner { get; } = runner;
    public TokenService Tokens { get; } = tokens;
    public TimeProvider Time { get; } = time;
    public ServerApiOptions Options { get; } = options;
    public SessionRegistry Sessions { get; } = sessions;
    /// <summary>The live projection: every live read and login → group look-up, off the engine thread.</summary>
    public ILiveView View { get; } = view;
    public ManagerKeyStore? ManagerKeys { get; } = managerKeys;
    /// <summary>The history store (closed deals, orders, finance, ledger): read off the engine thread.</summary>
    public IHistoryReader History { get; } = history;
    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>Where commands are applied: the runner, or a stand-in when the gateway is measured alone.</summary>
    public IEngineCommands Engine { get; } = engine ?? new RunnerCommands(runner);

    /// <summary>The audit side channel (sign-ins, refusals); none when the gateway runs without a history store.</summary>
    public IAuditTrail? Audit { get; } = audit;

    /// <summary>GetLogs' reader of the audit log; none when the gateway runs without a history store.</summary>
    public IAuditLogReader? AuditLog { get; } = auditLog;

    /// <summary>GetConfig's view of the engine's server configuration (also the connections' flood control).</summary>
    public Config.ServerConfigView? ConfigView { get; } = configView;

    /// <summary>Ports, paths and build GetConfig reports (registered by the host).</summary>
    public Config.ServerInstallation? Installation { get; } = installation;

    /// <summary>Where exports are written (the data directory's <c>storage/</c>); none when the gateway runs without one.</summary>
    public ReadModel.Exports.ExportStorage? Exports { get; } = exports;

    /// <summary>Trade JSON shared by the Sync answers and the fan-out's <c>trade:event</c> (the same instance as the fan-out's).</summary>
    public Wire.TradeJsonCache TradeJson { get; } = tradeJson ?? new();
}

/// <summary>The one engine call a command handler makes to change state (reads go through queries and views).</summary>
internal interface IEngineCommands
{
    Task<Engine.Commands.CommandResult<T>> SubmitAsync<T>(Engine.Commands.EngineCommand<T> command);
}

/// <summary>Commands applied by the single-writer engine through its runner.</summary>
internal sealed class RunnerCommands(EngineRunner runner) : IEngineCommands
{
    public Task<Engine.Commands.CommandResult<T>> SubmitAsync<T>(Engine.Commands.EngineCommand<T> command) => runner.SubmitAsync(command);
}
