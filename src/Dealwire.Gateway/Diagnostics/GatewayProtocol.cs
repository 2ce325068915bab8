namespace Dealwire.Gateway.Diagnostics;

/// <summary>The <c>protocol</c> tag of every gateway instrument: one value per wire protocol.</summary>
public static class GatewayProtocol
{
    public const string ServerApi = "server_api";
    public const string ManagerApi = "manager_api";
}
