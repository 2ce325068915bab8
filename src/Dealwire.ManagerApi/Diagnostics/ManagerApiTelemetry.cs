using Dealwire.Gateway.Diagnostics;

namespace Dealwire.ManagerApi.Diagnostics;

/// <summary>The Manager API's traces (activity source <c>Dealwire.ManagerApi</c>) and request measurements.</summary>
public static class ManagerApiTelemetry
{
    public static readonly CommandTelemetry Commands = new(GatewayProtocol.ManagerApi);
}
