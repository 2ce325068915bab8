using Dealwire.Gateway.Diagnostics;

namespace Dealwire.ServerApi.Diagnostics;

/// <summary>The Server API's traces (activity source <c>Dealwire.ServerApi</c>) and command measurements.</summary>
public static class ServerApiTelemetry
{
    public static readonly CommandTelemetry Commands = new(GatewayProtocol.ServerApi);
}
