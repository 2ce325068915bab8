using Dealwire.Testing;

namespace Dealwire.Client.Tests.EndToEnd;

/// <summary>One real <c>dealwire serve</c> process shared by the tests of a class.</summary>
public sealed class RealServer : IAsyncLifetime
{
    public DealwireProcess Process { get; private set; } = null!;

    public string Endpoint => $"127.0.0.1:{Process.ServerApiPort}";

    public async Task InitializeAsync() => Process = await DealwireProcess.StartAsync();

    public async Task DisposeAsync() => await Process.DisposeAsync();

    public ServerApiClientOptions Options(string endpoint, Action<ServerApiClientOptions>? configure = null) =>
        Infrastructure.ClientFactory.Options(endpoint, o =>
        {
            o.Token = Process.AdminToken;
            o.RequestTimeout = TimeSpan.FromSeconds(20);
            configure?.Invoke(o);
        });
}
