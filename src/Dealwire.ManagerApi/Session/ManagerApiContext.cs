using Dealwire.Engine.Runtime;
using Dealwire.Gateway.Diagnostics;
using Dealwire.ManagerApi.Fanout;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dealwire.ManagerApi.Session;

/// <summary>The services every Manager API connection shares (one per listener).</summary>
public sealed class ManagerApiContext(
    EngineRunner runner,
    ManagerKeyStore keys,
    TimeProvider time,
    ManagerHub hub,
    ILiveView view,
    IHistoryReader history,
    IOptions<ManagerApiOptions> options,
    ILogger<ManagerApiContext> logger,
    IAuditTrail? audit = null)
{
    public EngineRunner Runner { get; } = runner;

    public ManagerKeyStore Keys { get; } = keys;

    public TimeProvider Time { get; } = time;

    public ManagerHub Hub { get; } = hub;

    /// <summary>The live projection every live read comes from.</summary>
    public ILiveView View { get; } = view;
    /// <summary>The history store (closed positions, retired orders, balance operations): read off the engine thread.</summary>
    public IHistoryReader History { get; } = history;

    public ManagerApiOptions Options { get; } = options.Value;

    public ILogger Logger { get; } = logger;

    /// <summary>The audit side channel: auth_request outcomes with the remote endpoint (none without a history store).</summary>
    public IAuditTrail? Audit { get; } = audit;

    /// <summary>Rate-limited log of client faults (bad bytes, malformed envelopes, timeouts): never Error level.</summary>
    public ClientFaultLog Faults { get; } = new(logger, time, GatewayProtocol.ManagerApi);
}
