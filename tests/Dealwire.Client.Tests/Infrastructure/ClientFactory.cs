namespace Dealwire.Client.Tests.Infrastructure;

public static class ClientFactory
{
    public static ServerApiClientOptions Options(string endpoint, Action<ServerApiClientOptions>? configure = null)
    {
        var options = new ServerApiClientOptions
        {
            Endpoint = endpoint,
            Token = "test-token",
            RequestTimeout = TimeSpan.FromSeconds(10),
            Reconnect = new ReconnectPolicy { MinDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
        };
        configure?.Invoke(options);
        return options;
    }

    public static Task<ServerApiClient> ConnectAsync(string endpoint, Action<ServerApiClientOptions>? configure = null) =>
        ServerApiClient.ConnectAsync(Options(endpoint, configure));
}
