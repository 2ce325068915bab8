using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
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
    EngineMirror mirror,
    ManagerKeyStore? managerKeys,
    IHistoryReader history,
    ILoggerFactory loggers)
{
    public EngineRunner Runner { get; } = runner;
    public TokenService Tokens { get; } = tokens;
    public TimeProvider Time { get; } = time;
    public ServerApiOptions Options { get; } = options;
    public SessionRegistry Sessions { get; } = sessions;
    public EngineMirror Mirror { get; } = mirror;
    public ManagerKeyStore? ManagerKeys { get; } = managerKeys;
    /// <summary>The history store (closed deals, orders, finance, ledger): read off the engine thread.</summary>
    public IHistoryReader History { get; } = history;
    public ILoggerFactory Loggers { get; } = loggers;
}
